import { type SQL, sql } from "drizzle-orm";
import type { TenantContext } from "../core/context.js";
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

interface SortSql {
  /** The key's parts as text (what the cursor holds), in order. */
  readonly key: SQL;
  readonly order: SQL;
  readonly after: (p: FleetPosition) => SQL;
}

const RUL_KEY = sql`coalesce(c.rul, 'Infinity'::float8)`;
const SEEN_KEY = sql`coalesce(c.last_seen_at, '-infinity'::timestamptz)`;

const SORTS: Record<FleetSort, SortSql> = {
  REMAINING_LIFE_ASC: {
    key: sql`array[${RUL_KEY}::text]`,
    order: sql`${RUL_KEY}, c.id`,
    after: (p) => sql`(${RUL_KEY}, c.id) > (${p.key[0]}::float8, ${p.id})`,
  },
  NAME: {
    key: sql`array[lower(c.name)]`,
    order: sql`lower(c.name), c.id`,
    after: (p) => sql`(lower(c.name), c.id) > (${p.key[0]}::text, ${p.id})`,
  },
  LAST_SEEN_DESC: {
    key: sql`array[${SEEN_KEY}::text]`,
    order: sql`${SEEN_KEY} desc, c.id`,
    after: (p) => sql`(${SEEN_KEY} < ${p.key[0]}::timestamptz or (${SEEN_KEY} = ${p.key[0]}::timestamptz and c.id > ${p.id}))`,
  },
  HEALTH: {
    key: sql`array[c.health_rank::text, ${RUL_KEY}::text]`,
    order: sql`c.health_rank, ${RUL_KEY}, c.id`,
    after: (p) => sql`(c.health_rank, ${RUL_KEY}, c.id) > (${p.key[0]}::int, ${p.key[1]}::float8, ${p.id})`,
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
export async function fleetOverview(ctx: TenantContext, q: FleetQuery & { position: FleetPosition | undefined }): Promise<FleetPage> {
  const tenantId = ctx.principal.tenantId;
  const since = new Date(Math.floor((Date.now() - 86_400_000) / 3_600_000) * 3_600_000);
  const f = q.filters;
  const where: SQL[] = [sql`a.tenant_id = ${tenantId}`];
  if (f.assetTypeId) where.push(sql`a.asset_type_id = ${f.assetTypeId}`);
  if (f.parentId) where.push(sql`a.parent_id = ${f.parentId}`);
  if (f.search) {
    const pattern = containsPattern(f.search);
    where.push(sql`(a.name ilike ${pattern} escape '\\' or a.external_id ilike ${pattern} escape '\\')`);
  }
  const outer: SQL[] = [sql`true`];
  if (f.health) outer.push(sql`c.health_rank = any(${`{${f.health.map((h) => HEALTH_STATES.indexOf(h)).join(",")}}`}::int[])`);
  const s = SORTS[q.sort];
  if (q.position) outer.push(s.after(q.position));
  const rows = await ctx.tx.execute<Row>(sql`
    with c as (
      select a.id, a.external_id, a.name, a.asset_type_id, a.parent_id,
        p.id as prediction_id, p.rul, p.rul_low, p.rul_high, p.model_version_id, p.data_time, p.created_at as predicted_at,
        al.id as alert_id, al.kind as alert_kind, seen.last_seen_at,
        case
          when al.kind = 'rul_low' or p.rul < r.rul_below then 0
          when al.kind is not null then 1
          when p.rul is null then 3
          when r.rul_below is not null and coalesce(p.rul_low, p.rul) < r.rul_below then 1
          else 2
        end as health_rank
      from assets a
      left join lateral (
        select x.id, x.rul, x.rul_low, x.rul_high, x.model_version_id, x.data_time, x.created_at
        from asset_predictions x
        where x.tenant_id = a.tenant_id and x.asset_id = a.id and x.task = 'rul'
        order by x.id desc limit 1
      ) p on true
      left join lateral (
        select x.id, x.kind from alerts x
        where x.tenant_id = a.tenant_id and x.asset_id = a.id and x.status <> 'resolved'
        order by x.kind = 'rul_low' desc, x.id limit 1
      ) al on true
      left join lateral (
        select x.last_seen_at from asset_activity x
        where x.tenant_id = a.tenant_id and x.asset_id = a.id
        order by x.hour desc limit 1
      ) seen on true
      left join alert_rules r on r.tenant_id = a.tenant_id and r.asset_type_id = a.asset_type_id
      where ${sql.join(where, sql` and `)}
    ),
    page as (
      select c.*, ${s.key} as sort_key from c
      where ${sql.join(outer, sql` and `)}
      order by ${s.order}
      limit ${q.first + 1}
    )
    select page.*,
      (select coalesce(sum(x.points), 0) from asset_activity x
        where x.tenant_id = ${tenantId} and x.asset_id = page.id and x.hour >= ${since.toISOString()}::timestamptz)::text as points,
      (select count(*) from assets x where x.tenant_id = ${tenantId} and x.parent_id = page.id)::int as child_count,
      (with recursive up(id, name, parent_id, depth) as (
          select x.id, x.name, x.parent_id, 1 from assets x where x.tenant_id = ${tenantId} and x.id = page.parent_id
          union all
          select x.id, x.name, x.parent_id, up.depth + 1 from up join assets x on x.tenant_id = ${tenantId} and x.id = up.parent_id
          where up.depth < 32
        )
        select json_agg(json_build_array(up.id, up.name) order by up.depth desc) from up) as ancestors
    from page
    order by ${pageOrder(q.sort)}`);
  const items = rows.slice(0, q.first);
  const edges = items.map((r) => ({
    cursor: encodeFleetCursor(q.sort, q.filters, { key: r.sort_key, id: r.id }),
    node: toEntry(r),
  }));
  return { edges, pageInfo: { hasNextPage: rows.length > q.first, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** The outer statement's order: the page's rows keep the order they were picked in. */
function pageOrder(sort: FleetSort): SQL {
  switch (sort) {
    case "REMAINING_LIFE_ASC":
      return sql`coalesce(page.rul, 'Infinity'::float8), page.id`;
    case "LAST_SEEN_DESC":
      return sql`coalesce(page.last_seen_at, '-infinity'::timestamptz) desc, page.id`;
    case "HEALTH":
      return sql`page.health_rank, coalesce(page.rul, 'Infinity'::float8), page.id`;
    case "NAME":
      return sql`lower(page.name), page.id`;
  }
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
