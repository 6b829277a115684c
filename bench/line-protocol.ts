import { type LineTarget, validateBatch } from "../src/telemetry/line-protocol.js";

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

/** [name, mean, spread, decimals] after the FD001 subset of NASA's C-MAPSS data. */
const COLUMNS: readonly (readonly [string, number, number, number])[] = [
  ["setting1", 0, 0.0022, 4],
  ["setting2", 0, 0.0003, 4],
  ["setting3", 100, 0, 0],
  ["s1", 518.67, 0, 2],
  ["s2", 642.68, 0.5, 2],
  ["s3", 1590.52, 6.1, 2],
  ["s4", 1408.93, 9, 2],
  ["s5", 14.62, 0, 2],
  ["s6", 21.61, 0.001, 2],
  ["s7", 553.37, 0.88, 2],
  ["s8", 2388.1, 0.07, 2],
  ["s9", 9065.24, 22, 2],
  ["s10", 1.3, 0, 2],
  ["s11", 47.54, 0.27, 2],
  ["s12", 521.41, 0.74, 2],
  ["s13", 2388.1, 0.07, 2],
  ["s14", 8143.75, 19, 2],
  ["s15", 8.4421, 0.037, 4],
  ["s16", 0.03, 0, 2],
  ["s17", 393, 1.5, 0],
  ["s18", 2388, 0, 0],
  ["s19", 100, 0, 2],
  ["s20", 38.82, 0.18, 2],
  ["s21", 23.2897, 0.108, 4],
];

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(): string[] {
  const next = random(17);
  const lines: string[] = [];
  for (let k = 0; k < LINES; k++) {
    const engine = (k % ENGINES) + 1;
    const cycle = Math.floor(k / ENGINES) + 1;
    const fields = COLUMNS.map(([name, mean, spread, decimals]) => `${name}=${(mean + (next() * 2 - 1) * spread).toFixed(decimals)}`);
    const seconds = 1_700_000_000 + cycle * 10 + (engine % 10);
    lines.push(`turbofan,asset=engine_${engine} ${fields.join(",")} ${seconds}000000000`);
  }
  return lines;
}

const lines = generate();
const batches: string[] = [];
for (let start = 0; start < lines.length; start += BATCH) batches.push(`${lines.slice(start, start + BATCH).join("\n")}\n`);
const totalBytes = batches.reduce((sum, body) => sum + Buffer.byteLength(body), 0);

const target: LineTarget = { fields: new Set(COLUMNS.map(([name]) => name)) };
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
const scanSeconds = measure(scanAll, LINES * (COLUMNS.length + 1));

function report(label: string, seconds: number): number {
  const perSecond = LINES / seconds;
  const mbPerSecond = totalBytes / 1e6 / seconds;
  process.stdout.write(
    `${label.padEnd(30)} ${Math.round(perSecond).toLocaleString("en-US").padStart(11)} lines/s  ${mbPerSecond.toFixed(1).padStart(7)} MB/s  ${(seconds * 1000).toFixed(1).padStart(7)} ms per pass\n`,
  );
  return perSecond;
}

process.stdout.write(
  `${LINES.toLocaleString("en-US")} C-MAPSS lines (${ENGINES} engines, ${COLUMNS.length} float fields, ns timestamps) in ${batches.length} batches of ${BATCH.toLocaleString("en-US")}: ` +
    `${(totalBytes / 1e6).toFixed(1)} MB, ${(totalBytes / LINES).toFixed(0)} bytes/line; median of ${ROUNDS} passes, Node ${process.version}\n`,
);
const validated = report("validateBatch", validateSeconds);
const scanned = report('baseline: split + count "="', scanSeconds);
process.stdout.write(`ratio: validation takes ${(validateSeconds / scanSeconds).toFixed(2)}× the time of the trivial scan\n`);
process.stdout.write(
  `target ${TARGET_LINES_PER_SECOND.toLocaleString("en-US")} lines/s: ${validated >= TARGET_LINES_PER_SECOND ? "met" : "MISSED"} (${(validated / TARGET_LINES_PER_SECOND).toFixed(1)}×)\n`,
);
if (!(scanned > 0)) process.exitCode = 1;
