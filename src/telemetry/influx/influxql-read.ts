import { z } from "zod";
import type { Source } from "../influxql/ast.js";
import { isRollupMeasurement } from "../rollup-marks.js";
import type { FieldValue, InfluxqlPart, InfluxqlRead, InfluxqlSeries } from "../store.js";
import { buildStatement, matchingMeasurements } from "./influxql-build.js";

const partSchema = z.object({
  results: z
    .array(
      z.object({
        series: z
          .array(
            z.object({
              name: z.string().optional(),
              tags: z.record(z.string(), z.string()).optional(),
              columns: z.array(z.string()),
              values: z.array(z.array(z.union([z.number(), z.string(), z.boolean(), z.null()]))).default([]),
              partial: z.boolean().optional(),
            }),
          )
          .optional(),
        partial: z.boolean().optional(),
        error: z.string().optional(),
      }),
    )
    .default([]),
  error: z.string().optional(),
});

/**
 * The statement's error when InfluxDB wrote its JSON encoder's failure instead of a part: a value
 * of the answer is ±Inf or NaN (e.g. `exp()` of a large field), which JSON cannot carry.
 */
function notJsonValue(line: string): string | undefined {
  if (line.startsWith("{")) return undefined;
  const value = /json: unsupported value: (\+Inf|-Inf|NaN)$/.exec(line)?.[1];
  if (value === undefined) return undefined;
  return `the answer holds ${value}, which is not a number JSON can carry: keep the expression finite (e.g. filter the field's values in WHERE)`;
}

/** Runs one statement on InfluxDB's /query with `chunked=true`; the answer's lines as they come. */
export type ChunkedQuery = (database: string, statement: string, params: Record<string, string>) => Promise<Response>;

const rowsOf = (parts: readonly InfluxqlPart[]) => parts.reduce((n, p) => n + (p.series ?? []).reduce((m, s) => m + s.values.length, 0), 0);

async function run(
  query: ChunkedQuery,
  database: string,
  statement: string,
  read: Pick<InfluxqlRead, "epoch" | "chunkSize" | "maxRows" | "publicDatabase">,
): Promise<InfluxqlPart[]> {
  const params: Record<string, string> = { chunked: "true", chunk_size: String(read.chunkSize) };
  if (read.epoch) params.epoch = read.epoch;
  const res = await query(database, statement, params);
  const parts: InfluxqlPart[] = [];
  let rows = 0;
  const body = res.body;
  if (!body) return [{}];
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = body.getReader();
  const take = (line: string): InfluxqlPart | undefined => {
    const notJson = notJsonValue(line);
    if (notJson !== undefined) return { error: notJson };
    const answer = partSchema.parse(JSON.parse(line));
    const failure = answer.error ?? answer.results.find((r) => r.error)?.error;
    if (failure !== undefined) {
      // A tenant without telemetry yet has no database: its answers are empty.
      if (failure.startsWith("database not found")) return {};
      return { error: failure.split(database).join(read.publicDatabase) };
    }
    for (const r of answer.results) {
      rows += (r.series ?? []).reduce((n, s) => n + s.values.length, 0);
      parts.push({ series: r.series, partial: r.partial });
    }
    return undefined;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (value) buffer += decoder.decode(value, { stream: true });
      let nl = buffer.indexOf("\n");
      while (nl >= 0 || (done && buffer.trim() !== "")) {
        const line = (nl >= 0 ? buffer.slice(0, nl) : buffer).trim();
        buffer = nl >= 0 ? buffer.slice(nl + 1) : "";
        if (line) {
          const stop = take(line);
          if (stop) return [stop];
          if (rows > read.maxRows) {
            return [
              {
                error: `the answer holds more than ${read.maxRows} rows: narrow the time range, add LIMIT or SLIMIT, or use a longer GROUP BY time() interval`,
              },
            ];
          }
        }
        nl = buffer.indexOf("\n");
      }
      if (done) break;
    }
  } finally {
    // Stops InfluxDB's work when the answer is refused part way.
    await reader.cancel().catch(() => undefined);
  }
  return parts.length > 0 ? parts : [{}];
}

/** The tenant's measurements that a statement's sources name or match, rollups left out. */
async function measurementsOf(query: ChunkedQuery, database: string, sources: readonly Source[], read: InfluxqlRead): Promise<string[]> {
  const out = new Set<string>();
  for (const source of sources) {
    if (source.kind === "measurement") {
      if (!isRollupMeasurement(source.name)) out.add(source.name);
      continue;
    }
    const parts = await run(query, database, matchingMeasurements(source.pattern), { ...read, epoch: undefined, chunkSize: 10_000 });
    const failed = parts.find((p) => p.error);
    if (failed?.error) throw new InfluxqlSourceError(failed.error);
    for (const p of parts)
      for (const s of p.series ?? [])
        for (const [name] of s.values) if (typeof name === "string" && !isRollupMeasurement(name)) out.add(name);
  }
  return [...out];
}

class InfluxqlSourceError extends Error {}

const visible = (s: InfluxqlSeries) => s.name === undefined || !isRollupMeasurement(s.name);

/** Rollup measurements left out of an answer: SHOW MEASUREMENTS' rows, and series named after them. */
function hideRollups(parts: InfluxqlPart[], measurementsList: boolean): InfluxqlPart[] {
  return parts.map((p) => {
    if (!p.series) return p;
    const series = p.series
      .filter(visible)
      .map((s) =>
        measurementsList
          ? { ...s, values: s.values.filter((row: readonly FieldValue[]) => !(typeof row[0] === "string" && isRollupMeasurement(row[0]))) }
          : s,
      );
    return { ...p, series: series.filter((s) => s.values.length > 0) };
  });
}

/** One statement of the /query route on the tenant's database. */
export async function readInfluxql(
  query: ChunkedQuery,
  database: string,
  read: InfluxqlRead,
): Promise<{ parts: InfluxqlPart[]; rows: number }> {
  const s = read.statement;
  let measurements: string[] = [];
  if (s.kind === "select" || s.kind === "showTagKeys" || s.kind === "showTagValues" || s.kind === "showFieldKeys") {
    try {
      measurements = await measurementsOf(query, database, s.from, read);
    } catch (error) {
      if (error instanceof InfluxqlSourceError) return { parts: [{ error: error.message }], rows: 0 };
      throw error;
    }
    // Named sources none of which is the tenant's: nothing to answer (a SELECT needs a source).
    if (measurements.length === 0 && (s.kind === "select" || s.from.length > 0)) return { parts: [{}], rows: 0 };
  }
  const parts = hideRollups(await run(query, database, buildStatement(s, database, measurements), read), s.kind === "showMeasurements");
  return { parts, rows: rowsOf(parts) };
}
