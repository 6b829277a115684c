import type { AlertKind, AlertStatus } from "../../../gql/graphql";

/** Which alerts by status: the unresolved ones (open or acknowledged), or one status; absent: all, recent ones included. */
export type StatusFilter = "unresolved" | "open" | "acknowledged" | "resolved";

/** The inbox's address: `/alerts?status=unresolved&kind=ANOMALY&asset=ast_…`. */
export interface AlertsSearch {
  status?: StatusFilter;
  kind?: AlertKind;
  /** An asset's id. */
  asset?: string;
}

/** The status filter's choices; each is named by the catalogue's `status.<value>`. */
export const STATUS_FILTERS: readonly StatusFilter[] = ["unresolved", "open", "acknowledged", "resolved"];

/** The alert kinds; each is named by the catalogue's `kind.<value>`. */
export const KINDS: readonly AlertKind[] = ["RUL_LOW", "ANOMALY"];

const STATUSES_OF: Record<StatusFilter, AlertStatus[]> = {
  unresolved: ["OPEN", "ACKNOWLEDGED"],
  open: ["OPEN"],
  acknowledged: ["ACKNOWLEDGED"],
  resolved: ["RESOLVED"],
};

const isStatusFilter = (value: unknown): value is StatusFilter => typeof value === "string" && value in STATUSES_OF;
const isKind = (value: unknown): value is AlertKind => KINDS.some((k) => k === value);

/** Unknown values are dropped, so a hand-edited address still shows a page. */
export function validateAlertsSearch(search: Record<string, unknown>): AlertsSearch {
  // Every key, undefined when refused: the router keeps the raw value of a key left out.
  const out: AlertsSearch = { status: undefined, kind: undefined, asset: undefined };
  if (isStatusFilter(search.status)) out.status = search.status;
  if (isKind(search.kind)) out.kind = search.kind;
  if (typeof search.asset === "string" && search.asset.length > 0) out.asset = search.asset;
  return out;
}

/** The `alerts` arguments for the filters. */
export function filterVariables(search: AlertsSearch): {
  statuses: AlertStatus[] | null;
  kinds: AlertKind[] | null;
  assetId: string | null;
} {
  return {
    statuses: search.status ? STATUSES_OF[search.status] : null,
    kinds: search.kind ? [search.kind] : null,
    assetId: search.asset ?? null,
  };
}

/** Whether an alert belongs in the list the filters show (a new one arriving live). */
export function matchesFilters(alert: { status: AlertStatus; kind: AlertKind; assetId: string }, search: AlertsSearch): boolean {
  if (search.status && !STATUSES_OF[search.status].includes(alert.status)) return false;
  if (search.kind && alert.kind !== search.kind) return false;
  return !search.asset || alert.assetId === search.asset;
}
