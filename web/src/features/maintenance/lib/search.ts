import type { MaintenanceKind } from "../../../gql/graphql";

/** The log's address: `/maintenance?kind=FAILURE&asset=ast_…` (the asset's own log has no asset filter). */
export interface MaintenanceSearch {
  kind?: MaintenanceKind;
  /** An asset's id. */
  asset?: string;
}

/** The kinds of event; each is named by the catalogue's `kind.<value>` and explained by `hint.<value>`. */
export const KINDS: readonly MaintenanceKind[] = ["FAILURE", "REPAIR", "INSPECTION"];

const isKind = (value: unknown): value is MaintenanceKind => KINDS.some((k) => k === value);

/** Unknown values are dropped, so a hand-edited address still shows a page. */
export function validateMaintenanceSearch(search: Record<string, unknown>): MaintenanceSearch {
  // Every key, undefined when refused: the router keeps the raw value of a key left out.
  const out: MaintenanceSearch = { kind: undefined, asset: undefined };
  if (isKind(search.kind)) out.kind = search.kind;
  if (typeof search.asset === "string" && search.asset.length > 0) out.asset = search.asset;
  return out;
}
