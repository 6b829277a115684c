import type { AuditQuery } from "../api/audit-log";

/**
 * The audit log's address: `/team/audit?who=operator&what=member.&from=2026-12-01&to=2026-12-06`.
 * `who` is an actor kind (`operator`, `api_key`, `workflow`) or `user:<id>`; `what` an action
 * family ending in a dot; `from`/`to` days in the browser's time zone, both included.
 */
export interface AuditSearch {
  who?: string;
  what?: string;
  from?: string;
  to?: string;
}

/** The action families the filter offers (the API matches a family by its prefix). */
export const ACTION_FAMILIES = [
  "member.",
  "invitation.",
  "operator.",
  "api_key.",
  "device.",
  "device_token.",
  "asset.",
  "asset_type.",
  "model.",
  "alert.",
  "webhook.",
  "billing.",
  "tenant.",
  "maintenance.",
] as const;

export type ActionFamily = (typeof ACTION_FAMILIES)[number];

export const ACTOR_KINDS = ["operator", "api_key", "workflow"] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (value: unknown): value is string => typeof value === "string" && DAY.test(value) && !Number.isNaN(Date.parse(value));
const isWho = (value: unknown): value is string =>
  typeof value === "string" && ((ACTOR_KINDS as readonly string[]).includes(value) || /^user:[A-Za-z0-9_-]{1,90}$/.test(value));

/** Unknown values are dropped, so a hand-edited address still shows a page. */
export function validateAuditSearch(search: Record<string, unknown>): AuditSearch {
  // Every key, undefined when refused: the router keeps the raw value of a key left out.
  const out: AuditSearch = { who: undefined, what: undefined, from: undefined, to: undefined };
  if (isWho(search.who)) out.who = search.who;
  if (typeof search.what === "string" && (ACTION_FAMILIES as readonly string[]).includes(search.what)) out.what = search.what;
  if (isDay(search.from)) out.from = search.from;
  if (isDay(search.to)) out.to = search.to;
  return out;
}

/** Midnight of a day (YYYY-MM-DD) in the browser's time zone. */
function localMidnight(day: string, plusDays = 0): Date {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + plusDays);
}

export const badRange = (search: AuditSearch): boolean => Boolean(search.from && search.to && search.from > search.to);

/** What to ask the API: the last day is included, so `to` is the next day's midnight. */
export function toAuditQuery(search: AuditSearch): AuditQuery {
  const [kind, id] = search.who?.startsWith("user:") ? ["user", search.who.slice(5)] : [search.who, undefined];
  return {
    actorKind: kind,
    actorId: id,
    action: search.what,
    from: search.from ? localMidnight(search.from).toISOString() : undefined,
    to: search.to ? localMidnight(search.to, 1).toISOString() : undefined,
  };
}
