import type { MaintenanceKind } from "../../../gql/graphql";

/** The log's address: `/maintenance?kind=FAILURE&asset=ast_…` (the asset's own log has no asset filter). */
export interface MaintenanceSearch {
  kind?: MaintenanceKind;
  /** An asset's id. */
  asset?: string;
}

export const KINDS: readonly { value: MaintenanceKind; label: string; hint: string }[] = [
  { value: "FAILURE", label: "Failure", hint: "the asset stopped working; ends a run-to-failure series for training" },
  { value: "REPAIR", label: "Repair", hint: "work that restored or replaced a part" },
  { value: "INSPECTION", label: "Inspection", hint: "a check, with or without findings" },
];

export const kindLabel = (kind: MaintenanceKind): string => KINDS.find((k) => k.value === kind)?.label ?? kind;

const isKind = (value: unknown): value is MaintenanceKind => KINDS.some((k) => k.value === value);

/** Unknown values are dropped, so a hand-edited address still shows a page. */
export function validateMaintenanceSearch(search: Record<string, unknown>): MaintenanceSearch {
  // Every key, undefined when refused: the router keeps the raw value of a key left out.
  const out: MaintenanceSearch = { kind: undefined, asset: undefined };
  if (isKind(search.kind)) out.kind = search.kind;
  if (typeof search.asset === "string" && search.asset.length > 0) out.asset = search.asset;
  return out;
}
