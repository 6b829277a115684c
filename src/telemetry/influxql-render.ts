import type { InfluxqlPart, InfluxqlSeries } from "./store.js";

interface Result {
  statement_id: number;
  series?: InfluxqlSeries[];
  partial?: boolean;
  error?: string;
}

const json = (value: unknown, pretty: boolean) => `${JSON.stringify(value, null, pretty ? 4 : undefined)}\n`;

function result(statementId: number, part: InfluxqlPart): Result {
  const out: Result = { statement_id: statementId };
  if (part.error !== undefined) {
    out.error = part.error;
    return out;
  }
  if (part.series && part.series.length > 0) out.series = [...part.series];
  if (part.partial) out.partial = true;
  return out;
}

/** A statement's parts as one result, as InfluxDB merges them: a series cut across parts is joined again. */
function merged(statementId: number, parts: readonly InfluxqlPart[]): Result {
  const failed = parts.find((p) => p.error !== undefined);
  if (failed) return result(statementId, failed);
  const series: InfluxqlSeries[] = [];
  for (const part of parts) {
    for (const s of part.series ?? []) {
      const last = series[series.length - 1];
      if (last?.partial && last.name === s.name && JSON.stringify(last.tags ?? {}) === JSON.stringify(s.tags ?? {})) {
        const { partial: _, ...rest } = last;
        series[series.length - 1] = { ...rest, values: [...last.values, ...s.values], ...(s.partial ? { partial: true } : {}) };
      } else series.push(s);
    }
  }
  return series.length > 0 ? { statement_id: statementId, series } : { statement_id: statementId };
}

/**
 * InfluxDB 1.x's answer: one `{"results":[…]}` object, or (`chunked`) one per line for each part
 * of each statement, `"partial":true` on every part of a statement but its last (and on a series
 * whose rows go on in the next part).
 */
export function renderAnswers(answers: readonly (readonly InfluxqlPart[])[], options: { chunked: boolean; pretty: boolean }): string {
  if (!options.chunked) return json({ results: answers.map((parts, i) => merged(i, parts)) }, options.pretty);
  let out = "";
  answers.forEach((parts, i) => {
    for (const part of parts.length > 0 ? parts : [{}]) out += json({ results: [result(i, part)] }, options.pretty);
  });
  return out;
}
