import type { MemberRole } from "../tenancy/schema.js";

export const SCOPES = [
  "tenant:read",
  "tenant:write",
  "members:read",
  "members:write",
  "apikeys:read",
  "apikeys:write",
  "audit:read",
  "assets:read",
  "assets:write",
  "telemetry:read",
  "telemetry:write",
  "models:read",
  "models:write",
  "billing:read",
  "billing:write",
] as const;

export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

const READ: readonly Scope[] = SCOPES.filter((s) => s.endsWith(":read"));
const ENGINEERING: readonly Scope[] = ["assets:write", "telemetry:write", "models:write"];

/** What each member role may do. Exhaustive: a new role fails to compile until it is listed. */
export function scopesOfRole(role: MemberRole): readonly Scope[] {
  switch (role) {
    case "owner":
      return SCOPES;
    case "admin":
      return SCOPES.filter((s) => s !== "billing:write");
    case "engineer":
      return [...READ.filter((s) => s !== "billing:read" && s !== "audit:read"), ...ENGINEERING];
    case "viewer":
      return READ.filter((s) => s !== "billing:read" && s !== "audit:read" && s !== "apikeys:read");
    case "finance":
      return ["tenant:read", "members:read", "billing:read", "billing:write"];
  }
}
