import type { FleetSort, HealthState } from "../../../gql/graphql";

/** How the list is ordered, as the address spells it. */
export type SortParam = "life" | "health" | "name" | "seen";

/**
 * The fleet page's address: `/fleet?sort=health&q=press&health=CRITICAL,WATCH&type=aty_…&parent=ast_…`.
 * Every field is optional; absent means the default (lowest remaining life first, the whole fleet).
 */
export interface FleetSearch {
  sort?: SortParam;
  /** A substring of the name or the external id. */
  q?: string;
  /** Health states, worst first; absent: every state. */
  health?: string;
  /** An asset type's id. */
  type?: string;
  /** An asset's id: only its direct children. */
  parent?: string;
}

/** The API's bound on `search`. */
export const MAX_SEARCH_LENGTH = 100;

/** The orders, each labelled by its catalogue key `sort.<value>`. */
export const SORTS: readonly { value: SortParam; api: FleetSort }[] = [
  { value: "life", api: "REMAINING_LIFE_ASC" },
  { value: "health", api: "HEALTH" },
  { value: "name", api: "NAME" },
  { value: "seen", api: "LAST_SEEN_DESC" },
];

export const HEALTH_STATES: readonly HealthState[] = ["CRITICAL", "WATCH", "OK", "UNKNOWN"];

/** The choices of the health filter: one state, or the two that need attention (catalogue keys as labels). */
export const HEALTH_FILTERS: readonly { value: string; label: `health.${HealthState}` | "health.attention" }[] = [
  { value: "CRITICAL,WATCH", label: "health.attention" },
  ...HEALTH_STATES.map((s) => ({ value: s, label: `health.${s}` as const })),
];

/** The states a `health` param names, in the canonical order; unknown names are dropped. */
export function healthStates(param: string | undefined): HealthState[] {
  const named = new Set((param ?? "").split(",").map((s) => s.trim().toUpperCase()));
  return HEALTH_STATES.filter((s) => named.has(s));
}

const text = (value: unknown): string | undefined => {
  if (typeof value === "number") return String(value);
  return typeof value === "string" ? value : undefined;
};

/**
 * Unknown or malformed values are dropped, so a hand-edited address still shows a page. Every key is
 * returned (undefined when dropped): the router keeps the address's own value for a key left out.
 */
export function validateFleetSearch(search: Record<string, unknown>): FleetSearch {
  const out: FleetSearch = { sort: undefined, q: undefined, health: undefined, type: undefined, parent: undefined };
  const sort = text(search.sort);
  if (sort && SORTS.some((s) => s.value === sort) && sort !== "life") out.sort = sort as SortParam;
  const q = text(search.q)?.trim().slice(0, MAX_SEARCH_LENGTH);
  if (q) out.q = q;
  const health = healthStates(text(search.health));
  if (health.length > 0 && health.length < HEALTH_STATES.length) out.health = health.join(",");
  const type = text(search.type);
  if (type && /^[A-Za-z0-9_]{1,64}$/.test(type)) out.type = type;
  const parent = text(search.parent);
  if (parent && /^[A-Za-z0-9_]{1,64}$/.test(parent)) out.parent = parent;
  return out;
}

/** The `fleetOverview` arguments for the address. */
export function fleetVariables(search: FleetSearch) {
  const health = healthStates(search.health);
  return {
    sort: (SORTS.find((s) => s.value === search.sort) ?? SORTS[0])?.api ?? "REMAINING_LIFE_ASC",
    search: search.q ?? null,
    health: health.length > 0 ? health : null,
    assetTypeId: search.type ?? null,
    parentId: search.parent ?? null,
  } as const;
}

/** Whether any filter narrows the list (the empty state then says "no match", not "no assets"). */
export const isFiltered = (search: FleetSearch): boolean => Boolean(search.q || search.health || search.type || search.parent);
