import { type LineTarget, validateBatch } from "../src/telemetry/line-protocol.js";
import { fieldSets, SENSORS, turbofanLine } from "./support.js";

/**
 * Throughput of the line protocol validator on C-MAPSS-shaped lines (turbofan engines: 3 settings and 21 sensors
 * as floats, ns timestamps), against a trivial scan of the same bodies: `split("\n")` and counting "=" per line.
 * Usage: node dist/bench/line-protocol.js [rounds]
 */
const LINES = 100_000;
const ENGINES = 100;
const BATCH = 5_000;
const ROUNDS = Number(process.argv[2] ?? 10);
const TARGET_LINES_PER_SECOND = 200_000;

/** Every line has its own field values (no reuse), so the validator sees realistic input. */
function generate(): string[] {
  const sets = fieldSets(LINES, 17);
  return sets.map((fields, k) => {
    const engine = (k % ENGINES) + 1;
    const cycle = Math.floor(k / ENGINES) + 1;
    return turbofanLine(engine, fields, `${1_700_000_000 + cycle * 10 + (engine % 10)}000000000`);
  });
}

const lines = generate();
const batches: string[] = [];
for (let start = 0; start < lines.length; start += BATCH) batches.push(`${lines.slice(start, start + BATCH).join("\n")}\n`);
const totalBytes = batches.reduce((sum, body) => sum + Buffer.byteLength(body), 0);

const target: LineTarget = { fields: new Set(SENSORS) };
const resolve = (measurement: string, asset: string): LineTarget | string =>
  measurement === "turbofan" && asset.startsWith("engine_") ? target : `unknown asset ${asset}`;
const options = { precision: "ns", nowMs: 1_700_000_000_000, oldestMs: 1_699_000_000_000, newestMs: 1_701_000_000_000 } as const;

function validateAll(): number {
  let points = 0;
  for (const body of batches) {
    const result = validateBatch(body, resolve, options);
    if (!result.ok) throw new Error(`bench data refused: line ${result.line}: ${result.reason}`);
    points += result.points;
  }
  return points;
}

function scanAll(): number {
  let fields = 0;
  for (const body of batches) {
    for (const line of body.split("\n")) {
      for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) === 61) fields++;
    }
  }
  return fields;
}

/** Median seconds per pass over all batches; the checksum keeps the work from being optimised away. */
function measure(pass: () => number, expected: number): number {
  for (let w = 0; w < 3; w++) pass();
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    const checksum = pass();
    times.push((performance.now() - started) / 1000);
    if (checksum !== expected) throw new Error(`checksum ${checksum}, expected ${expected}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

const validateSeconds = measure(validateAll, LINES);
const scanSeconds = measure(scanAll, LINES * (SENSORS.length + 1));

function report(label: string, seconds: number): number {
  const perSecond = LINES / seconds;
  const mbPerSecond = totalBytes / 1e6 / seconds;
  process.stdout.write(
    `${label.padEnd(30)} ${Math.round(perSecond).toLocaleString("en-US").padStart(11)} lines/s  ${mbPerSecond.toFixed(1).padStart(7)} MB/s  ${(seconds * 1000).toFixed(1).padStart(7)} ms per pass\n`,
  );
  return perSecond;
}

process.stdout.write(
  `${LINES.toLocaleString("en-US")} C-MAPSS lines (${ENGINES} engines, ${SENSORS.length} float fields, ns timestamps) in ${batches.length} batches of ${BATCH.toLocaleString("en-US")}: ` +
    `${(totalBytes / 1e6).toFixed(1)} MB, ${(totalBytes / LINES).toFixed(0)} bytes/line; median of ${ROUNDS} passes, Node ${process.version}\n`,
);
const validated = report("validateBatch", validateSeconds);
const scanned = report('baseline: split + count "="', scanSeconds);
process.stdout.write(`ratio: validation takes ${(validateSeconds / scanSeconds).toFixed(2)}× the time of the trivial scan\n`);
process.stdout.write(
  `target ${TARGET_LINES_PER_SECOND.toLocaleString("en-US")} lines/s: ${validated >= TARGET_LINES_PER_SECOND ? "met" : "MISSED"} (${(validated / TARGET_LINES_PER_SECOND).toFixed(1)}×)\n`,
);
if (!(scanned > 0)) process.exitCode = 1;
