import { z } from "zod";

/** One series of an InfluxQL answer, checked with zod before anyone reads it. */
export const seriesSchema = z.object({
  name: z.string(),
  tags: z.record(z.string(), z.string()).optional(),
  columns: z.array(z.string()),
  values: z.array(z.array(z.union([z.number(), z.string(), z.boolean(), z.null()]))).default([]),
});
export type Series = z.infer<typeof seriesSchema>;

export const queryAnswerSchema = z.object({
  results: z.array(
    z.object({
      statement_id: z.number().optional(),
      series: z.array(seriesSchema).optional(),
      error: z.string().optional(),
    }),
  ),
  error: z.string().optional(),
});

/** Time precision of line-protocol timestamps, as InfluxDB 1.x names them on /write. */
export type StorePrecision = "n" | "u" | "ms" | "s" | "m" | "h";

/**
 * Telemetry storage, one database per tenant. The tenant's database name comes from its id,
 * never from input; queries are InfluxQL built by the server.
 */
export interface TelemetryStore {
  /**
   * Creates the tenant's database with this retention when it is missing; never changes the
   * retention of one that exists (the write path's view of it may be older than the database's).
   */
  ensureDatabase(tenantId: string, retentionDays: number): Promise<void>;
  /** Creates the tenant's database, or sets its retention: only with the value Postgres holds now. */
  setRetention(tenantId: string, retentionDays: number): Promise<void>;
  /** Writes validated line protocol; resolves once InfluxDB accepted every point. */
  write(tenantId: string, lines: string | Uint8Array, precision: StorePrecision): Promise<void>;
  /** Runs one or more `;`-separated statements; one list of series per statement. */
  query(tenantId: string, influxql: string): Promise<Series[][]>;
  /** Streams the rows of a query in chunks, for exports. */
  stream(tenantId: string, influxql: string, chunkSize: number): AsyncIterable<Series>;
  dropTenant(tenantId: string): Promise<void>;
  ping(signal?: AbortSignal): Promise<void>;
}

/** InfluxDB did not answer or failed on its side: the caller may retry later. */
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
 * InfluxDB refused points of a batch the validator accepted ("partial write"): a bug of the
 * validator or the budget, never the caller's fault. The message holds InfluxDB's text for the
 * logs only; callers answer INTERNAL without it.
 */
export class StoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreRefusedError";
  }
}

export const tenantDatabase = (tenantId: string): string => {
  if (!/^ten_[0-9a-z]{26}$/.test(tenantId)) throw new Error(`Not a tenant id: ${tenantId}`);
  return `t_${tenantId}`;
};
