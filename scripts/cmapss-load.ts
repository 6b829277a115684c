import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InfluxDB } from "@influxdata/influxdb-client";

/** NASA C-MAPSS: 26 space-separated columns per row (unit, cycle, 3 settings, 21 sensors). */
export const CMAPSS_FIELDS = ["setting1", "setting2", "setting3", ...Array.from({ length: 21 }, (_, i) => `s${i + 1}`)];

export interface CmapssRow {
  readonly unit: number;
  readonly cycle: number;
  readonly values: readonly string[];
}

export function readCmapss(folder: string, file: string): CmapssRow[] {
  const rows: CmapssRow[] = [];
  const text = readFileSync(join(folder, file), "utf8");
  for (const [index, line] of text.split("\n").entries()) {
    const cols = line.trim().split(/\s+/);
    if (cols.length === 1 && cols[0] === "") continue;
    if (cols.length !== 26) throw new Error(`${file}:${index + 1}: expected 26 columns, found ${cols.length}`);
    const values = cols.slice(2);
    if (values.some((v) => !Number.isFinite(Number(v)))) throw new Error(`${file}:${index + 1}: a value is not a number`);
    rows.push({ unit: Number(cols[0]), cycle: Number(cols[1]), values });
  }
  return rows;
}

/** One engine cycle is one hour of telemetry, counted from `startSeconds`. */
export const CYCLE_SECONDS = 3600;

export function toLine(typeKey: string, externalId: string, row: CmapssRow, startSeconds: number): string {
  const fields = CMAPSS_FIELDS.map((name, i) => `${name}=${row.values[i]}`).join(",");
  return `${typeKey},asset=${externalId} ${fields} ${startSeconds + row.cycle * CYCLE_SECONDS}`;
}

export interface LoadProgress {
  readonly sent: number;
  readonly total: number;
  readonly perSecond: number;
}

/**
 * Writes the lines through the platform's InfluxDB-compatible endpoint with the official
 * InfluxDB 2.x client, in batches of 5,000, reporting progress while it goes.
 */
export async function loadLines(
  apiUrl: string,
  deviceToken: string,
  lines: readonly string[],
  onProgress: (p: LoadProgress) => void,
): Promise<LoadProgress> {
  const batchSize = 5_000;
  let sent = 0;
  const started = performance.now();
  // The client would send a full buffer on its own without waiting; batches are flushed explicitly
  // instead, so every batch is acknowledged before the next and before close() returns.
  const writeApi = new InfluxDB({ url: apiUrl, token: deviceToken, timeout: 60_000 }).getWriteApi("oem", "telemetry", "s", {
    batchSize: batchSize + 1,
    flushInterval: 0,
    maxRetries: 3,
    writeSuccess(batch: string[]) {
      sent += batch.length;
      onProgress({ sent, total: lines.length, perSecond: sent / ((performance.now() - started) / 1000) });
    },
  });
  for (let i = 0; i < lines.length; i += batchSize) {
    writeApi.writeRecords(lines.slice(i, i + batchSize));
    await writeApi.flush();
  }
  await writeApi.close();
  return { sent, total: lines.length, perSecond: sent / ((performance.now() - started) / 1000) };
}
