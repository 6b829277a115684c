import type { StoreStatement } from "./influxql/ast.js";

/**
 * Telemetry storage, one database per tenant, in the terms of the domain: measurements (asset
 * types), series (one asset's points, tagged with its external id), fields (sensors), time ranges
 * and windows. An implementation builds its own queries; none is ever taken from input.
 */

/** Time precision of line-protocol timestamps, as InfluxDB 1.x names them on /write. */
export type StorePrecision = "n" | "u" | "ms" | "s" | "m" | "h";

/** A stored value: sensors hold numbers or booleans. */
export type FieldValue = number | string | boolean | null;

/** Aggregates of a window, over the raw points or (but `last`) over the hourly rollups. */
export type StoreAggregate = "mean" | "min" | "max" | "last" | "count";

/** Whole hours, as hour numbers (ms since the epoch / 3,600,000), first and last included. */
export interface HourSpan {
  readonly first: number;
  readonly last: number;
}

/** Points column-major: `values[f][i]` is field `f` (in the order asked) at `times[i]` (ms since the epoch). */
export interface PointColumns<V = FieldValue> {
  readonly times: number[];
  readonly values: V[][];
}

/** One asset's series of a measurement, and the fields asked of it. */
export interface SeriesSelector {
  readonly measurement: string;
  /** The asset's external id (its `asset` tag). */
  readonly asset: string;
  readonly fields: readonly string[];
}

export interface RangeQuery extends SeriesSelector {
  /** From (included) to (excluded). */
  readonly from: Date;
  readonly to: Date;
  readonly order: "asc" | "desc";
  readonly limit?: number;
}

/** Consecutive windows read the same way: from the raw points, or from the hourly rollups. */
export interface WindowSpan {
  /** ms since the epoch, from included, to excluded. */
  readonly from: number;
  readonly to: number;
  readonly source: "raw" | "rollup";
}

export interface WindowQuery extends SeriesSelector {
  /** Windows aligned on the epoch; a window without points has no row. */
  readonly windowSeconds: number;
  readonly aggregate: StoreAggregate;
  /** In time order; every span's part of the answer comes in that order. */
  readonly spans: readonly WindowSpan[];
}

export interface StreamQuery {
  readonly measurement: string;
  readonly fields: readonly string[];
  /** Assets by external id: only their points come back. */
  readonly assets: readonly string[];
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  /** Rows per chunk the store reads at a time. */
  readonly chunkRows: number;
}

/** A part of one asset's points, in time order; an asset's points may come in several chunks. */
export interface StreamChunk extends PointColumns {
  readonly asset: string;
}

export interface LatestPoint {
  readonly time: number;
  readonly value: FieldValue;
}

export interface RollupRecompute {
  readonly measurement: string;
  /** The numeric fields: their hourly min, max, sum and count are stored. */
  readonly fields: readonly string[];
  readonly hours: readonly HourSpan[];
}

/** One series of an InfluxQL answer, as InfluxDB 1.x shapes it. */
export interface InfluxqlSeries {
  readonly name?: string | undefined;
  readonly tags?: Readonly<Record<string, string>> | undefined;
  readonly columns: readonly string[];
  readonly values: readonly (readonly FieldValue[])[];
  /** More rows of this series follow in the next part. */
  readonly partial?: boolean | undefined;
}

/** One part of a statement's answer (InfluxDB answers in parts of at most `chunkSize` rows of one series). */
export interface InfluxqlPart {
  readonly series?: readonly InfluxqlSeries[] | undefined;
  /** More parts of this statement follow. */
  readonly partial?: boolean | undefined;
  readonly error?: string | undefined;
}

/** A statement of the /query route for the tenant's database, with how its answer is shaped and bounded. */
export interface InfluxqlRead {
  readonly statement: StoreStatement;
  /** InfluxDB's `epoch` parameter: times as integers of this unit; undefined: RFC 3339 strings. */
  readonly epoch: "ns" | "u" | "ms" | "s" | "m" | "h" | undefined;
  readonly chunkSize: number;
  /** Rows over this refuse the statement (nothing of it is answered). */
  readonly maxRows: number;
  /** The name the tenant knows its database by, for error messages. */
  readonly publicDatabase: string;
}

/** Telemetry storage. Every call names the tenant; no call ever reaches another tenant's data. */
export interface TelemetryStore {
  /**
   * Creates the tenant's database with this retention when it is missing; never changes the
   * retention of one that exists (the write path's view of it may be older than the database's).
   */
  ensureDatabase(tenantId: string, retentionDays: number): Promise<void>;
  /** Creates the tenant's database, or sets its retention: only with the value Postgres holds now. */
  setRetention(tenantId: string, retentionDays: number): Promise<void>;
  /** Writes a validated line-protocol batch as received; resolves once every point is stored. */
  write(tenantId: string, lines: string | Uint8Array, precision: StorePrecision): Promise<void>;
  /** The points of one series in a range, in time order, at most `limit`. */
  range(tenantId: string, query: RangeQuery): Promise<PointColumns>;
  /** One row per window that holds points (booleans read as 1 and 0), spans joined in time order. */
  windows(tenantId: string, query: WindowQuery): Promise<PointColumns<number | null>>;
  /** The last point of each field (in the order asked), each with its own time; undefined where there is none. */
  latest(tenantId: string, series: SeriesSelector): Promise<(LatestPoint | undefined)[]>;
  /** The points of some assets of a measurement, read in chunks, for exports and training sets. */
  stream(tenantId: string, query: StreamQuery): AsyncIterable<StreamChunk>;
  /** Recomputes the hourly rollups of these hours from the raw points (the same hours again change nothing). */
  recomputeRollups(tenantId: string, work: RollupRecompute): Promise<void>;
  /**
   * One statement of the InfluxQL subset, rebuilt for the tenant's database, answered in parts;
   * the hourly rollups stay hidden (raw series only). `rows`: how many rows the parts hold.
   */
  influxql(tenantId: string, read: InfluxqlRead): Promise<{ parts: InfluxqlPart[]; rows: number }>;
  dropTenant(tenantId: string): Promise<void>;
  ping(signal?: AbortSignal): Promise<void>;
}

/** The store did not answer or failed on its side: the caller may retry later. */
export class StoreUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds = 5,
  ) {
    super(message);
    this.name = "StoreUnavailableError";
  }
}

/**
 * The store refused points of a batch the validator accepted ("partial write"): a bug of the
 * validator or the budget, never the caller's fault. The message holds the store's text for the
 * logs only; callers answer INTERNAL without it.
 */
export class StoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreRefusedError";
  }
}
