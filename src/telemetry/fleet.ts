import { type SQL, sql } from "drizzle-orm";
import type { Clock, TenantContext } from "../core/context.js";
import { validation } from "../core/errors.js";
import { MAX_PAGE_SIZE } from "../core/pagination.js";
import {
  decodeFleetCursor,
  encodeFleetCursor,
  type FleetFilters,
  type FleetPosition,
  type FleetSort,
  HEALTH_STATES,
  type HealthState,
} from "./fleet-cursor.js";

export const MAX_SEARCH_LENGTH = 100;

export interface FleetRemainingLife {
  readonly predictionId: string;
  readonly rul: number;
  readonly low: number | null;
  readonly high: number | null;
  readonly modelVersionId: string;
  readonly dataTime: Date;
  readonly predictedAt: Date;
}

export interface FleetAncestor {
  readonly id: string;
  readonly name: string;
}

export interface FleetEntry {
  readonly assetId: string;
  readonly externalId: string;
  readonly name: string;
  readonly assetTypeId: string;
  readonly parentId: string | null;
  /** Root first, the parent last; empty for a root. */
  readonly ancestors: readonly FleetAncestor[];
  readonly childCount: number;
  readonly health: HealthState;
  readonly remainingLife: FleetRemainingLife | null;
  readonly worstAlert: { readonly id: string; readonly kind: string } | null;
  readonly lastSeenAt: Date | null;
  readonly pointsLastDay: number;
}

export interface FleetPage {
  readonly edges: { cursor: string; node: FleetEntry }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface FleetQuery {
  readonly first: number;
  readonly after: string | null;
  readonly sort: FleetSort;
  readonly filters: FleetFilters;
}

/** `search` as a LIKE pattern that matches it literally anywhere. */
const containsPattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Checks the arguments (VALIDATION with the field) and puts the filters in canonical form. */
export function fleetQuery(input: {
  first?: number | null | undefined;
  after?: string | null | undefined;
  sort?: FleetSort | null | undefined;
  search?: string | null | undefined;
  health?: readonly HealthState[] | null | undefined;
  assetTypeId?: string | null | undefined;
  parentId?: string | null | undefined;
}): FleetQuery & { position: FleetPosition | undefined } {
  const first = input.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw validation(`"first" must be between 1 and ${MAX_PAGE_SIZE}; got ${first}.`, { field: "first", max: MAX_PAGE_SIZE });
  }
  const search = input.search ?? null;
  if (search !== null && search.length > MAX_SEARCH_LENGTH) {
    throw validation(`"search" may hold at most ${MAX_SEARCH_LENGTH} characters; got ${search.length}.`, {
      field: "search",
      max: MAX_SEARCH_LENGTH,
    });
  }
  if (search?.includes("\u0000")) throw validation('"search" may not contain the NUL character.', { field: "search" });
  if (input.health && input.health.length === 0) {
    throw validation(`"health" must name at least one of ${HEALTH_STATES.join(", ")}, or be left out for every state.`, {
      field: "health",
    });
  }
  const sort = input.sort ?? "REMAINING_LIFE_ASC";
  const filters: FleetFilters = {
    search: search === "" ? null : search,
    health: input.health ? [...new Set(input.health)].sort() : null,
    assetTypeId: input.assetTypeId ?? null,
    parentId: input.parentId ?? null,
  };
  const after = input.after ?? null;
  const position = after === null ? undefined : decodeFleetCursor(after, sort, filters);
  return { first, after, sort, filters, position };
}

/** Joined to `assets a`: the latest remaining-life prediction, as `p`. */
const PREDICTION = sql`
  left join lateral (
    select x.id, x.rul, x.rul_low, x.rul_high, x.model_version_id, x.data_time, x.created_at
    from asset_predictions x
    where x.tenant_id = a.tenant_id and x.asset_id = a.id and x.task = 'rul'
    order by x.id desc limit 1
  ) p on true`;

/** The worst unresolved alert (remaining life before anomaly) as `al`, and the type's alert rule as `r`. */
const ALERT = sql`
  left join lateral (
    select x.id, x.kind from alerts x
    where x.tenant_id = a.tenant_id and x.asset_id = a.id and x.status <> 'resolved'
    order by x.kind = 'rul_low' desc, x.id limit 1
  ) al on true
  left join alert_rules r on r.tenant_id = a.tenant_id and r.asset_type_id = a.asset_type_id`;

/** The last delivery, as `seen` (the newest hour's row holds the latest time). */
const SEEN = sql`
  left join lateral (
    select x.last_seen_at from asset_activity x
    where x.tenant_id = a.tenant_id and x.asset_id = a.id
    order by x.hour desc limit 1
  ) seen on true`;

/** 0 CRITICAL, 1 WATCH, 2 OK, 3 UNKNOWN (the index into HEALTH_STATES); needs PREDICTION and ALERT. */
const HEALTH_RANK = sql`(case
    when al.kind = 'rul_low' or p.rul < r.rul_below then 0
    when al.kind is not null then 1
    when p.rul is null then 3
    when coalesce(p.rul_low, p.rul) < r.rul_below then 1
    else 2
  end)`;

const RUL_KEY = sql`coalesce(p.rul, 'Infinity'::float8)`;
const SEEN_KEY = sql`coalesce(seen.last_seen_at, '-infinity'::timestamptz)`;

interface SortSql {
  /** What the key needs joined to `assets a`. */
  readonly joins: readonly SQL[];
  /** The key's parts as text (what the cursor holds), in order. */
  readonly key: SQL;
  readonly order: SQL;
  readonly after: (p: FleetPosition) => SQL;
}

const SORTS: Record<FleetSort, SortSql> = {
  REMAINING_LIFE_ASC: {
    joins: [PREDICTION],
    key: sql`array[${RUL_KEY}::text]`,
    order: sql`${RUL_KEY}, a.id`,
    after: (at) => sql`(${RUL_KEY}, a.id) > (${at.key[0]}::float8, ${at.id})`,
  },
  NAME: {
    joins: [],
    key: sql`array[lower(a.name)]`,
    order: sql`lower(a.name), a.id`,
    after: (at) => sql`(lower(a.name), a.id) > (${at.key[0]}::text, ${at.id})`,
  },
  LAST_SEEN_DESC: {
    joins: [SEEN],
    key: sql`array[${SEEN_KEY}::text]`,
    order: sql`${SEEN_KEY} desc, a.id`,
    after: (at) => sql`(${SEEN_KEY} < ${at.key[0]}::timestamptz or (${SEEN_KEY} = ${at.key[0]}::timestamptz and a.id > ${at.id}))`,
  },
  HEALTH: {
    joins: [PREDICTION, ALERT],
    key: sql`array[${HEALTH_RANK}::text, ${RUL_KEY}::text]`,
    order: sql`${HEALTH_RANK}, ${RUL_KEY}, a.id`,
    after: (at) => sql`(${HEALTH_RANK}, ${RUL_KEY}, a.id) > (${at.key[0]}::int, ${at.key[1]}::float8, ${at.id})`,
  },
};

interface Row extends Record<string, unknown> {
  id: string;
  external_id: string;
  name: string;
  asset_type_id: string;
  parent_id: string | null;
  prediction_id: string | null;
  rul: number | null;
  rul_low: number | null;
  rul_high: number | null;
  model_version_id: string | null;
  data_time: string | null;
  predicted_at: string | null;
  alert_id: string | null;
  alert_kind: string | null;
  last_seen_at: string | null;
  health_rank: number;
  sort_key: string[];
  points: string;
  child_count: number;
  ancestors: [string, string][] | null;
}

/**
 * The fleet, one page in one statement: per asset its latest remaining-life prediction, its worst
 * unresolved alert, its health, last delivery and (for the page's rows only) its points in the last
 * 24 hours, its children and its ancestors. Filters by id of another tenant match nothing (RLS and
 * the tenant condition), as every list of the API does.
 */
export async function fleetOverview(
  ctx: TenantContext<{ readonly clock: Clock }>,
  q: FleetQuery & { position: FleetPosition | undefined },
): Promise<FleetPage> {
  const rows = await ctx.tx.execute<Row>(fleetStatement(ctx.principal.tenantId, q, ctx.deps.clock.now()));
  const items = rows.slice(0, q.first);
  const edges = items.map((r) => ({
    cursor: encodeFleetCursor(q.sort, q.filters, { key: r.sort_key, id: r.id }),
    node: toEntry(r),
  }));
  return { edges, pageInfo: { hasNextPage: rows.length > q.first, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** A page of the fleet, and (when asked) how many assets the filters match over all pages. */
export async function fleetPage(
  ctx: TenantContext<{ readonly clock: Clock }>,
  input: { query: FleetQuery & { position: FleetPosition | undefined }; withCount: boolean },
): Promise<FleetPage & { totalCount: number | null }> {
  const page = await fleetOverview(ctx, input.query);
  return { ...page, totalCount: input.withCount ? await fleetCount(ctx, input.query) : null };
}

/** The filters' joins and conditions (without the cursor's). */
function filtered(tenantId: string, q: FleetQuery): { joins: Set<SQL>; where: SQL[] } {
  const f = q.filters;
  const where: SQL[] = [sql`a.tenant_id = ${tenantId}`];
  if (f.assetTypeId) where.push(sql`a.asset_type_id = ${f.assetTypeId}`);
  if (f.parentId) where.push(sql`a.parent_id = ${f.parentId}`);
  if (f.search) {
    const pattern = containsPattern(f.search);
    where.push(sql`(a.name ilike ${pattern} escape '\\' or a.external_id ilike ${pattern} escape '\\')`);
  }
  const joins = new Set(SORTS[q.sort].joins);
  if (f.health) {
    joins.add(PREDICTION).add(ALERT);
    where.push(sql`${HEALTH_RANK} = any(${`{${f.health.map((h) => HEALTH_STATES.indexOf(h)).join(",")}}`}::int[])`);
  }
  return { joins, where };
}

/** How many assets the filters match, over all pages (a second statement, only when asked). */
export async function fleetCount(ctx: TenantContext, q: FleetQuery): Promise<number> {
  const { joins, where } = filtered(ctx.principal.tenantId, { ...q, sort: "NAME" });
  const [row] = await ctx.tx.execute<{ n: number }>(
    sql`select count(*)::int as n from assets a ${sql.join([...joins], sql` `)} where ${sql.join(where, sql` and `)}`,
  );
  return row?.n ?? 0;
}

/** The page's one statement (exported for EXPLAIN in the benchmark). */
export function fleetStatement(tenantId: string, q: FleetQuery & { position: FleetPosition | undefined }, now: Date): SQL {
  const since = new Date(Math.floor((now.getTime() - 86_400_000) / 3_600_000) * 3_600_000);
  const s = SORTS[q.sort];
  const { joins, where } = filtered(tenantId, q);
  if (q.position) where.push(s.after(q.position));
  // Only what the order and the filters need is computed for every asset; the rest for the page's rows.
  return sql`
    with page as (
      select a.id from assets a ${sql.join([...joins], sql` `)}
      where ${sql.join(where, sql` and `)}
      order by ${s.order}
      limit ${q.first + 1}
    )
    select a.id, a.external_id, a.name, a.asset_type_id, a.parent_id,
      p.id as prediction_id, p.rul, p.rul_low, p.rul_high, p.model_version_id, p.data_time, p.created_at as predicted_at,
      al.id as alert_id, al.kind as alert_kind, seen.last_seen_at, ${HEALTH_RANK} as health_rank, ${s.key} as sort_key,
      (select coalesce(sum(x.points), 0) from asset_activity x
        where x.tenant_id = a.tenant_id and x.asset_id = a.id and x.hour >= ${since.toISOString()}::timestamptz)::text as points,
      (select count(*) from assets x where x.tenant_id = a.tenant_id and x.parent_id = a.id)::int as child_count,
      (with recursive up(id, name, parent_id, depth) as (
          select x.id, x.name, x.parent_id, 1 from assets x where x.tenant_id = ${tenantId} and x.id = a.parent_id
          union all
          select x.id, x.name, x.parent_id, up.depth + 1 from up join assets x on x.tenant_id = ${tenantId} and x.id = up.parent_id
          where up.depth < 32
        )
        select json_agg(json_build_array(up.id, up.name) order by up.depth desc) from up) as ancestors
    from page
    join assets a on a.tenant_id = ${tenantId} and a.id = page.id
    ${PREDICTION} ${ALERT} ${SEEN}
    order by ${s.order}`;
}

const date = (v: string | null) => (v === null ? null : new Date(v));

function toEntry(r: Row): FleetEntry {
  return {
    assetId: r.id,
    externalId: r.external_id,
    name: r.name,
    assetTypeId: r.asset_type_id,
    parentId: r.parent_id,
    ancestors: (r.ancestors ?? []).map(([id, name]) => ({ id, name })),
    childCount: r.child_count,
    health: HEALTH_STATES[r.health_rank] ?? "UNKNOWN",
    remainingLife:
      r.prediction_id !== null && r.rul !== null && r.model_version_id !== null && r.data_time !== null && r.predicted_at !== null
        ? {
            predictionId: r.prediction_id,
            rul: r.rul,
            low: r.rul_low,
            high: r.rul_high,
            modelVersionId: r.model_version_id,
            dataTime: new Date(r.data_time),
            predictedAt: new Date(r.predicted_at),
          }
        : null,
    worstAlert: r.alert_id !== null && r.alert_kind !== null ? { id: r.alert_id, kind: r.alert_kind } : null,
    lastSeenAt: date(r.last_seen_at),
    pointsLastDay: Number(r.points),
  };
}
