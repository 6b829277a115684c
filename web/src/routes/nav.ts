import type { common } from "../lib/i18n";

type NavKey = typeof common extends { en: Record<infer K, string> } ? Extract<K, `nav.${string}`> : never;

/** Who may see a link: by the scopes the member holds, or by role. */
export interface NavItem {
  readonly to:
    | "/fleet"
    | "/alerts"
    | "/maintenance"
    | "/models"
    | "/devices"
    | "/billing"
    | "/usage"
    | "/team"
    | "/developers"
    | "/finance";
  readonly label: NavKey;
  readonly visible: (viewer: { readonly scopes: readonly string[]; readonly role: string | null }) => boolean;
}

const holds = (scope: string) => (viewer: { readonly scopes: readonly string[] }) => viewer.scopes.includes(scope);

/** The main navigation, in order: the machines first, then the company's settings. */
export const NAV_ITEMS: readonly NavItem[] = [
  { to: "/fleet", label: "nav.fleet", visible: holds("assets:read") },
  { to: "/alerts", label: "nav.alerts", visible: holds("models:read") },
  { to: "/maintenance", label: "nav.maintenance", visible: holds("assets:read") },
  { to: "/models", label: "nav.models", visible: holds("models:read") },
  { to: "/devices", label: "nav.devices", visible: holds("assets:read") },
  { to: "/billing", label: "nav.billing", visible: holds("billing:read") },
  { to: "/usage", label: "nav.usage", visible: holds("billing:read") },
  { to: "/team", label: "nav.team", visible: holds("members:read") },
  { to: "/developers", label: "nav.developers", visible: holds("apikeys:read") },
  { to: "/finance", label: "nav.access", visible: (viewer) => viewer.role === "FINANCE" },
];
