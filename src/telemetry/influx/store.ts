import { z } from "zod";
import type { FieldValue, PointColumns, StreamChunk, TelemetryStore } from "../store.js";
import { StoreRefusedError, StoreUnavailableError } from "../store.js";
import {
  ident,
  latestStatements,
  MAX_NAMED_ASSETS,
  rangeStatement,
  rollupStatements,
  streamStatement,
  tenantDatabase,
  windowStatement,
} from "./influxql.js";
import { readInfluxql } from "./influxql-read.js";
import { createPoster } from "./poster.js";

/** One series of an InfluxQL answer, checked with zod before anyone reads it. */
const seriesSchema = z.object({
  name: z.string(),
  tags: z.record(z.string(), z.string()).optional(),
  columns: z.array(z.string()),
  values: z.array(z.array(z.union([z.number(), z.string(), z.boolean(), z.null()]))).default([]),
});
type Series = z.infer<typeof seriesSchema>;

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

export interface InfluxOptions {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly timeoutMs?: number;
}

/**
 * What failed in a query's answer, if anything. A tenant without telemetry yet has no database:
 * InfluxDB answers one statement with "database not found" and several with a single
 * "not executed" and nothing else; either answer is empty, not a failure. After a real error the
 * statements that follow are "not executed" too, and the real error is what is reported.
 */
function failureOf(body: z.infer<typeof queryAnswerSchema>): string | undefined {
  if (body.error) return body.error;
  const errors = body.results.flatMap((r) => (r.error ? [r.error] : []));
  const real = errors.find((e) => e !== "not executed" && !e.startsWith("database not found"));
  return real;
}

/** Statements sent to InfluxDB per request by the rollup step. */
const ROLLUP_STATEMENTS_PER_REQUEST = 8;

const asNumber = (v: unknown): number | null => (typeof v === "number" ? v : typeof v === "boolean" ? (v ? 1 : 0) : null);

/** Appends the rows of series to columns, fields picked by their column names. */
function appendColumns(out: PointColumns, series: readonly Series[], columns: readonly string[]): void {
  for (const s of series) {
    const index = columns.map((name) => s.columns.indexOf(name));
    for (const v of s.values) {
      out.times.push(Number(v[0]));
      for (let f = 0; f < index.length; f++) {
        const column = index[f] ?? -1;
        out.values[f]?.push(column < 0 ? null : (v[column] ?? null));
      }
    }
  }
}

/** The TelemetryStore on InfluxDB 1.x's HTTP API: InfluxQL is built here and nowhere else. */
export function createInfluxStore(options: InfluxOptions): TelemetryStore {
  const auth = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString("base64")}`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  /** Tenants whose database this process knows to exist: what it knows can only be that, never a retention. */
  const ensured = new Set<string>();
  const post = createPoster(options.url, auth, timeoutMs);

  async function call(path: string, params: Record<string, string>, init: RequestInit = {}): Promise<Response> {
    const url = new URL(path, options.url);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    let res: Response;
    try {
      res = await fetch(url, {
        ...init,
        headers: { authorization: auth, ...init.headers },
        signal: init.signal ?? AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new StoreUnavailableError(`InfluxDB is not reachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (res.status >= 500 || res.status === 429) {
      const retry = Number(res.headers.get("retry-after") ?? "5");
      throw new StoreUnavailableError(
        `InfluxDB answered ${res.status}: ${(await res.text()).slice(0, 200)}`,
        Number.isFinite(retry) ? retry : 5,
      );
    }
    return res;
  }

  async function admin(q: string): Promise<string | undefined> {
    const res = await call("/query", { q }, { method: "POST" });
    const body = queryAnswerSchema.parse(await res.json());
    return body.error ?? body.results.find((r) => r.error)?.error;
  }

  async function query(tenantId: string, influxql: string): Promise<Series[][]> {
    const res = await call("/query", { db: tenantDatabase(tenantId), q: influxql, epoch: "ms" }, { method: "POST" });
    const body = queryAnswerSchema.parse(await res.json());
    const failed = failureOf(body);
    if (failed) throw new Error(`InfluxQL failed: ${failed}`);
    return body.results.map((r) => r.series ?? []);
  }

  async function* chunked(tenantId: string, influxql: string, chunkSize: number): AsyncIterable<Series> {
    const res = await call(
      "/query",
      { db: tenantDatabase(tenantId), q: influxql, epoch: "ms", chunked: "true", chunk_size: String(chunkSize) },
      { method: "POST", signal: AbortSignal.timeout(10 * 60_000) },
    );
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let nl = buffer.indexOf("\n");
      while (nl >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) {
          const body = queryAnswerSchema.parse(JSON.parse(line));
          const failed = failureOf(body);
          if (failed) throw new Error(`InfluxQL failed: ${failed}`);
          for (const r of body.results) for (const s of r.series ?? []) yield s;
        }
        nl = buffer.indexOf("\n");
      }
    }
  }

  return {
    async ensureDatabase(tenantId, retentionDays) {
      if (ensured.has(tenantId)) return;
      const db = ident(tenantDatabase(tenantId));
      const created = await admin(`CREATE DATABASE ${db} WITH DURATION ${retentionDays}d REPLICATION 1 NAME "autogen"`);
      // The database exists with another retention: that is set where it changes, not here.
      if (created && !created.includes("retention policy conflicts")) throw new Error(`Could not create ${db}: ${created}`);
      ensured.add(tenantId);
    },

    async setRetention(tenantId, retentionDays) {
      const db = ident(tenantDatabase(tenantId));
      const created = await admin(`CREATE DATABASE ${db} WITH DURATION ${retentionDays}d REPLICATION 1 NAME "autogen"`);
      if (created) {
        const altered = await admin(`ALTER RETENTION POLICY "autogen" ON ${db} DURATION ${retentionDays}d DEFAULT`);
        if (altered) throw new Error(`Could not set the retention of ${db}: ${altered}`);
      }
      ensured.add(tenantId);
    },

    async write(tenantId, lines, precision) {
      let res: Awaited<ReturnType<typeof post>>;
      try {
        res = await post("/write", { db: tenantDatabase(tenantId), precision }, lines);
      } catch (error) {
        throw new StoreUnavailableError(`InfluxDB is not reachable: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (res.status >= 500 || res.status === 429) {
        const retry = Number(res.retryAfter ?? "5");
        throw new StoreUnavailableError(`InfluxDB answered ${res.status}: ${res.text.slice(0, 200)}`, Number.isFinite(retry) ? retry : 5);
      }
      if (res.status === 400) {
        // Validation and the series budget make this impossible: it is a bug, logged with
        // InfluxDB's text and answered without it.
        throw new StoreRefusedError(`InfluxDB refused points of a validated batch (${res.status}): ${res.text.slice(0, 500)}`);
      }
      if (res.status !== 204) {
        if (res.status === 404) ensured.delete(tenantId);
        throw new Error(`InfluxDB refused a validated write (${res.status}): ${res.text.slice(0, 300)}`);
      }
    },

    async range(tenantId, q) {
      const [series = []] = await query(tenantId, rangeStatement(q));
      const out: PointColumns = { times: [], values: q.fields.map(() => []) };
      appendColumns(out, series, q.fields);
      return out;
    },

    async windows(tenantId, q) {
      const answers = await query(tenantId, q.spans.map((span) => windowStatement(q, span)).join("; "));
      const times: number[] = [];
      const values: (number | null)[][] = q.fields.map(() => []);
      q.spans.forEach((span, k) => {
        const meanOfRollups = span.source === "rollup" && q.aggregate === "mean";
        for (const series of answers[k] ?? []) {
          const v = q.fields.map((_, i) => series.columns.indexOf(`v${i}`));
          const n = q.fields.map((_, i) => series.columns.indexOf(`n${i}`));
          for (const row of series.values) {
            times.push(Number(row[0]));
            for (let i = 0; i < v.length; i++) {
              const value = asNumber(row[v[i] ?? -1]);
              if (meanOfRollups) {
                const count = asNumber(row[n[i] ?? -1]);
                values[i]?.push(value === null || count === null || count === 0 ? null : value / count);
              } else {
                values[i]?.push(value);
              }
            }
          }
        }
      });
      return { times, values };
    },

    async latest(tenantId, q) {
      const results = await query(tenantId, latestStatements(q).join("; "));
      return q.fields.map((_, i) => {
        const row = results[i]?.[0]?.values[0];
        return row ? { time: Number(row[0]), value: (row[1] ?? null) as FieldValue } : undefined;
      });
    },

    async *stream(tenantId, q) {
      if (q.assets.length === 0) return;
      const wanted = q.assets.length > MAX_NAMED_ASSETS ? new Set(q.assets) : undefined;
      for await (const series of chunked(tenantId, streamStatement(q), q.chunkRows)) {
        const asset = series.tags?.asset;
        if (asset === undefined || (wanted && !wanted.has(asset))) continue;
        const out: StreamChunk = { asset, times: [], values: q.fields.map(() => []) };
        appendColumns(out, [series], q.fields);
        yield out;
      }
    },

    async recomputeRollups(tenantId, work) {
      if (work.fields.length === 0) return;
      const statements = rollupStatements(work);
      for (let i = 0; i < statements.length; i += ROLLUP_STATEMENTS_PER_REQUEST) {
        await query(tenantId, statements.slice(i, i + ROLLUP_STATEMENTS_PER_REQUEST).join("; "));
      }
    },

    influxql(tenantId, read) {
      const chunkedQuery = (db: string, q: string, params: Record<string, string>) =>
        call(
          "/query",
          { db, ...params },
          {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ q }).toString(),
          },
        );
      return readInfluxql(chunkedQuery, tenantDatabase(tenantId), read);
    },

    async dropTenant(tenantId) {
      const failed = await admin(`DROP DATABASE ${ident(tenantDatabase(tenantId))}`);
      if (failed) throw new Error(`Could not drop the telemetry of ${tenantId}: ${failed}`);
      ensured.delete(tenantId);
    },

    async ping(signal) {
      const res = await call("/ping", {}, signal ? { signal } : {});
      if (res.status !== 204) throw new Error(`InfluxDB /ping answered ${res.status}`);
    },
  };
}
