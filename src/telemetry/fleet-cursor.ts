import { createHash } from "node:crypto";
import { validation } from "../core/errors.js";

export const FLEET_SORTS = ["REMAINING_LIFE_ASC", "NAME", "LAST_SEEN_DESC", "HEALTH"] as const;
export type FleetSort = (typeof FLEET_SORTS)[number];

/** Worst first: the order of the HEALTH sort and the rank stored in its cursor. */
export const HEALTH_STATES = ["CRITICAL", "WATCH", "OK", "UNKNOWN"] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** The filters a cursor is bound to: a cursor only continues the list it came from. */
export interface FleetFilters {
  readonly search: string | null;
  readonly health: readonly HealthState[] | null;
  readonly assetTypeId: string | null;
  readonly parentId: string | null;
}

/** Where a page ends: the sort key's parts as Postgres printed them, and the asset id. */
export interface FleetPosition {
  readonly key: readonly string[];
  readonly id: string;
}

const PREFIX = "fleet1.";
const FLOAT = /^(-?\d+(\.\d+)?(e[+-]?\d+)?|Infinity)$/;
const RANK = /^[0-3]$/;
/** A timestamptz as Postgres prints it (any DateStyle ISO offset), or the sentinel of "never". */
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}|-infinity)$/;
const ID = /^[\x21-\x7e]{1,128}$/;

/** What each part of a sort's key must look like (the parts before the id). */
const NAME_KEY = { test: (v: string) => v.length <= 1000 && !v.includes("\u0000") };
const KEY_SHAPES: Record<FleetSort, readonly { test(v: string): boolean }[]> = {
  REMAINING_LIFE_ASC: [FLOAT],
  NAME: [NAME_KEY],
  LAST_SEEN_DESC: [TIMESTAMP],
  HEALTH: [RANK, FLOAT],
};

/** A short digest of the sort and filters, so that a cursor is refused under others. */
function scopeOf(sort: FleetSort, filters: FleetFilters): string {
  const health = filters.health ? [...new Set(filters.health)].sort() : null;
  const canonical = JSON.stringify([sort, filters.search, health, filters.assetTypeId, filters.parentId]);
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 16);
}

export function encodeFleetCursor(sort: FleetSort, filters: FleetFilters, at: FleetPosition): string {
  const body = JSON.stringify({ s: sort, f: scopeOf(sort, filters), k: at.key, i: at.id });
  return PREFIX + Buffer.from(body, "utf8").toString("base64url");
}

const notOurs = () =>
  validation(
    '"after" is not a cursor of fleetOverview: pass the endCursor of the previous page unchanged, or leave "after" out to start.',
    {
      field: "after",
    },
  );

/** The position after which the page starts; VALIDATION for a cursor of another list, sort or filter. */
export function decodeFleetCursor(after: string, sort: FleetSort, filters: FleetFilters): FleetPosition {
  if (!after.startsWith(PREFIX) || after.length > 4096) throw notOurs();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(after.slice(PREFIX.length), "base64url").toString("utf8"));
  } catch {
    throw notOurs();
  }
  if (typeof parsed !== "object" || parsed === null) throw notOurs();
  const { s, f, k, i } = parsed as Record<string, unknown>;
  if (typeof s !== "string" || typeof f !== "string" || typeof i !== "string" || !ID.test(i) || !Array.isArray(k)) throw notOurs();
  if (s !== sort) {
    throw validation(
      `This cursor continues a fleetOverview sorted by ${s.slice(0, 40)}, not ${sort}: pass the same sort as the page it came from, or leave "after" out to start the new order.`,
      { field: "after", cursorSort: s.slice(0, 40), sort },
    );
  }
  if (f !== scopeOf(sort, filters)) {
    throw validation(
      'This cursor belongs to a fleetOverview with other filters: pass the same search, health, assetTypeId and parentId as the page it came from, or leave "after" out to start the filtered list.',
      { field: "after" },
    );
  }
  const shapes = KEY_SHAPES[sort];
  if (k.length !== shapes.length || !k.every((part, n) => typeof part === "string" && (shapes[n]?.test(part) ?? false))) throw notOurs();
  return { key: k as string[], id: i };
}
