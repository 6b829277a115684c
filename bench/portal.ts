import { pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { benchFleetPage } from "./portal-fleet.js";
import { rollUpImported } from "./rollups.js";
import { graphql, type Influx, influxFromEnv, influxWrite, median, say, signUpBenchTenant, tenantDatabase, withApi } from "./support.js";

/**
 * The asset page in Debian's Chromium on one asset with a year of one-minute data for 3 sensors
 * (1.58 M values, written straight to the tenant's InfluxDB database, untimed; its hours are then
 * marked stale as an import's would be, and the API's rollup step builds their hourly rollups): for range=year and
 * range=hour, the time from navigation to the first plotted frame, the bytes the page transferred
 * (every response, cold cache) and the time its GraphQL requests took, so the page's own cost shows
 * as a ratio. Goals: year ≤ 1.5 × hour; the page adds ≤ 50 % over its GraphQL time; < 300 kB of
 * GraphQL answers per plot. Medians of a few runs.
 *
 * Usage: node dist/bench/portal.js [runs per range, default 5] [--timeline] [--profile]
 */

const CHROMIUM = "/usr/bin/chromium";
const SESSION_KEY = "pdm.portal.session";
const SENSORS = ["s1", "s2", "s3"] as const;
const MINUTE = 60_000;
const YEAR_MINUTES = 365 * 24 * 60;

export interface SeededAsset {
  readonly url: string;
  readonly token: string;
  readonly tenantId: string;
  readonly assetId: string;
  /** The portal's session as the sign-in stores it in the tab (sessionStorage), to start each page signed in. */
  readonly session: string;
}

/** One pump, a year of one-minute data for s1…s3 ending now: 525,600 lines, 1.58 M values. */
export async function seedYearAsset(url: string, influx: Influx): Promise<SeededAsset> {
  const owner = await signUpBenchTenant(url, "portal");
  const { token, tenantId } = owner;
  const { createAssetType } = await graphql<{ createAssetType: { id: string } }>(
    url,
    "mutation ($i: CreateAssetTypeInput!) { createAssetType(input: $i) { id } }",
    { i: { key: "pump", name: "Pump", sensors: SENSORS.map((key) => ({ key, unit: "bar" })) } },
    token,
  );
  const { createAsset } = await graphql<{ createAsset: { id: string } }>(
    url,
    "mutation ($i: CreateAssetInput!) { createAsset(input: $i) { id } }",
    { i: { assetTypeId: createAssetType.id, externalId: "pump_1", name: "Pump 1" } },
    token,
  );
  const { createDevice } = await graphql<{ createDevice: { issued: { secret: string } } }>(
    url,
    "mutation ($i: CreateDeviceInput!) { createDevice(input: $i) { issued { secret } } }",
    { i: { name: "bench gateway", assetIds: [createAsset.id] } },
    token,
  );
  // The newest line through the API's write path: it creates the tenant's database with the plan's retention.
  const end = Math.floor(Date.now() / MINUTE) * MINUTE;
  const line = (t: number, i: number) =>
    `pump,asset=pump_1 s1=${(50 + 10 * Math.sin(i / 1440)).toFixed(3)},s2=${(20 + (i % 60) / 10).toFixed(2)},s3=${(5 + Math.cos(i / 97)).toFixed(3)} ${t}`;
  const res = await fetch(`${url}/api/v2/write?org=any&bucket=telemetry&precision=ms`, {
    method: "POST",
    headers: { authorization: `Token ${createDevice.issued.secret}`, "content-type": "text/plain; charset=utf-8" },
    body: line(end, 0),
  });
  if (res.status !== 204) throw new Error(`the write answered ${res.status}: ${await res.text()}`);
  const db = tenantDatabase(tenantId);
  const started = Date.now();
  const CHUNK = 20_000;
  for (let first = 1; first < YEAR_MINUTES; first += CHUNK) {
    const lines: string[] = [];
    for (let i = first; i < Math.min(first + CHUNK, YEAR_MINUTES); i++) lines.push(line(end - i * MINUTE, i));
    await influxWrite(influx, db, Buffer.from(lines.join("\n")), "ms");
  }
  say(`seeded ${YEAR_MINUTES.toLocaleString("en-US")} minutes × 3 sensors in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await rollUpImported(tenantId, "pump", end - YEAR_MINUTES * MINUTE, end);
  const session = await portalSessionOf(url, owner.email);
  return { url, token, tenantId, assetId: createAsset.id, session };
}

/** Signs in through the portal's form once and keeps the session the page stored. */
async function portalSessionOf(url: string, email: string): Promise<string> {
  const browser = await launch();
  try {
    const page = await browser.newPage({ baseURL: url });
    await page.goto("/fleet");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("benchmark password 1");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Fleet" }).first().waitFor();
    const session = await page.evaluate((key) => (globalThis as unknown as InPage).sessionStorage.getItem(key), SESSION_KEY);
    if (!session) throw new Error("the sign-in stored no session");
    return session;
  } finally {
    await browser.close();
  }
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ["--no-sandbox"] : [] });
}

export interface PageLoad {
  /** Navigation start to the first frame with every plot drawn, ms. */
  readonly firstPlotMs: number;
  /** Bytes transferred over the wire, every response (headers included, cold cache). */
  readonly bytes: number;
  /** Of which GraphQL answers. */
  readonly graphqlBytes: number;
  /** Wall time during which at least one GraphQL request was in flight, until the first plot, ms. */
  readonly graphqlMs: number;
  /** The telemetry request alone (mean, min, max), ms. */
  readonly telemetryMs: number;
  readonly graphqlRequests: number;
  readonly plots: number;
  readonly points: number;
  readonly windowSeconds: number;
  /** Every request until the first plot: name, start and end relative to the navigation (ms), bytes. */
  readonly timeline: readonly string[];
}

/** The little of the page's DOM the measurement reads (the bench compiles without the DOM's types). */
interface InPage {
  document: {
    querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null; querySelector(s: string): unknown }>;
  };
  performance: { now(): number };
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
}

interface Timed {
  url: string;
  start: number;
  end?: number;
  bytes: number;
  telemetry: boolean;
  /** The GraphQL operation's name, or the path. */
  name: string;
}

/** Opens /assets/<id>?range=… in a fresh context (cold cache, signed in) and measures it. */
export async function measureAssetPage(browser: Browser, asset: SeededAsset, range: string, profile = false): Promise<PageLoad> {
  const context = await browser.newContext({ baseURL: asset.url, viewport: { width: 1100, height: 900 } });
  await context.addInitScript(([key, value]) => (globalThis as unknown as InPage).sessionStorage.setItem(key, value), [
    SESSION_KEY,
    asset.session,
  ] as const);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  if (profile) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
    await cdp.send("Profiler.start");
  }
  const requests = new Map<string, Timed>();
  let bytes = 0;
  cdp.on("Network.requestWillBeSent", (e) => {
    const body = e.request.postData ?? "";
    const operation = /"operationName":"(\w+)"|query (\w+)/.exec(body);
    requests.set(e.requestId, {
      url: e.request.url,
      start: e.timestamp * 1000,
      bytes: 0,
      telemetry: body.includes("PortalTelemetryBands"),
      name: operation?.[1] ?? operation?.[2] ?? new URL(e.request.url).pathname,
    });
  });
  cdp.on("Network.loadingFinished", (e) => {
    bytes += e.encodedDataLength;
    const r = requests.get(e.requestId);
    if (r) {
      r.end = e.timestamp * 1000;
      r.bytes = e.encodedDataLength;
    }
  });
  try {
    await page.goto(`/assets/${asset.assetId}?range=${range}`, { waitUntil: "commit" });
    // The first animation frame in which every plot of the range holds its points.
    const firstPlot = await page.waitForFunction(
      (count) => {
        const { document, performance } = globalThis as unknown as InPage;
        const figures = Array.from(document.querySelectorAll(".plots[data-state='success'] figure.plot[data-sensor]"));
        const drawn = figures.filter((f) => Number(f.getAttribute("data-points")) > 0 && f.querySelector("canvas") !== null);
        return drawn.length === count ? performance.now() : false;
      },
      SENSORS.length,
      { polling: "raf", timeout: 120_000 },
    );
    const firstPlotMs = (await firstPlot.jsonValue()) as number;
    if (profile) printProfileOf((await cdp.send("Profiler.stop")).profile);
    const stats = await page.evaluate(() => {
      const { document } = globalThis as unknown as InPage;
      const figures = Array.from(document.querySelectorAll("figure.plot[data-sensor]"));
      return {
        plots: figures.length,
        points: figures.reduce((n, f) => n + Number(f.getAttribute("data-points")), 0),
        windowSeconds: Number(figures[0]?.getAttribute("data-window-seconds")),
      };
    });
    // CDP timestamps are monotonic seconds; the plot's time is relative to the navigation: align on the document request.
    const all = [...requests.values()];
    const documentRequest = all.find((r) => r.url.includes(`/assets/${asset.assetId}`));
    const origin = documentRequest?.start ?? 0;
    const untilPlot = origin + firstPlotMs;
    const gql = all.filter((r) => r.url.endsWith("/graphql") && r.end !== undefined && r.start < untilPlot);
    const telemetry = gql.find((r) => r.telemetry);
    return {
      firstPlotMs,
      bytes,
      graphqlBytes: gql.reduce((n, r) => n + r.bytes, 0),
      graphqlMs: coveredMs(gql.map((r) => [r.start, Math.min(r.end ?? r.start, untilPlot)] as const)),
      telemetryMs: telemetry?.end !== undefined ? telemetry.end - telemetry.start : Number.NaN,
      graphqlRequests: gql.length,
      plots: stats.plots,
      points: stats.points,
      windowSeconds: stats.windowSeconds,
      timeline: all
        .filter((r) => r.start < untilPlot)
        .sort((a, b) => a.start - b.start)
        .map(
          (r) =>
            `${(r.start - origin).toFixed(0).padStart(5)} → ${r.end === undefined ? "  ?" : (r.end - origin).toFixed(0).padStart(5)} ms ${String(r.bytes).padStart(7)} B ${r.name}`,
        ),
    };
  } finally {
    await context.close();
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** The page's main thread until the first plot: self time per function, the top 12. */
function printProfileOf(profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples?.forEach((id, i) => {
    const node = byId.get(id);
    const us = profile.timeDeltas?.[i] ?? 0;
    total += us;
    const frame = node?.callFrame;
    const file = frame?.url.split("/").pop() ?? "";
    const key = `${frame?.functionName || "(anonymous)"} ${file}${file ? `:${frame?.lineNumber}` : ""}`;
    self.set(key, (self.get(key) ?? 0) + us);
  });
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
  say(`  main thread until the first plot (${(total / 1000).toFixed(0)} ms sampled), self time:`);
  for (const [key, us] of top) say(`    ${(us / 1000).toFixed(1).padStart(6)} ms ${key}`);
}

/** The length of the union of intervals. */
function coveredMs(intervals: readonly (readonly [number, number])[]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [s, e] of sorted) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

export interface RangeFigures {
  readonly range: string;
  readonly runs: readonly PageLoad[];
  readonly firstPlotMs: number;
  readonly bytes: number;
  readonly graphqlBytes: number;
  readonly graphqlMs: number;
  readonly telemetryMs: number;
}

/** `runs` page loads of one range (after one unmeasured warm-up), with their medians. */
export async function measureRange(browser: Browser, asset: SeededAsset, range: string, runs: number): Promise<RangeFigures> {
  await measureAssetPage(browser, asset, range);
  const loads: PageLoad[] = [];
  for (let i = 0; i < runs; i++) {
    const load = await measureAssetPage(browser, asset, range, PROFILE && i === runs - 1);
    say(
      `  range=${range} run ${i + 1}: first plot ${load.firstPlotMs.toFixed(0)} ms, GraphQL in flight ${load.graphqlMs.toFixed(0)} ms, telemetry ${load.telemetryMs.toFixed(0)} ms`,
    );
    loads.push(load);
  }
  const m = (pick: (l: PageLoad) => number) => median(loads.map(pick));
  return {
    range,
    runs: loads,
    firstPlotMs: m((l) => l.firstPlotMs),
    bytes: m((l) => l.bytes),
    graphqlBytes: m((l) => l.graphqlBytes),
    graphqlMs: m((l) => l.graphqlMs),
    telemetryMs: m((l) => l.telemetryMs),
  };
}

const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;

export function printRange(f: RangeFigures, timeline = false): void {
  const first = f.runs[0];
  const last = f.runs.at(-1);
  if (timeline && last)
    say(`  the last run's requests until its first plot (${last.firstPlotMs.toFixed(0)} ms):\n    ${last.timeline.join("\n    ")}`);
  say(
    `range=${f.range.padEnd(4)} first plot ${f.firstPlotMs.toFixed(0)} ms; ${kB(f.bytes)} transferred (GraphQL ${kB(f.graphqlBytes)} in ${first?.graphqlRequests} requests); ` +
      `GraphQL in flight ${f.graphqlMs.toFixed(0)} ms (telemetry request ${f.telemetryMs.toFixed(0)} ms); page/GraphQL ${(f.firstPlotMs / f.graphqlMs).toFixed(2)}; ` +
      `${first?.plots} plots, ${first?.points} points, ${first?.windowSeconds} s windows (median of ${f.runs.length})`,
  );
}

/** The goals, each with its figure; true when all are met. */
export function checkGoals(year: RangeFigures, hour: RangeFigures): boolean {
  const plots = year.runs[0]?.plots ?? SENSORS.length;
  const goals: [string, boolean][] = [
    [
      `year ≤ 1.5 × hour: ${year.firstPlotMs.toFixed(0)} ms vs ${(1.5 * hour.firstPlotMs).toFixed(0)} ms`,
      year.firstPlotMs <= 1.5 * hour.firstPlotMs,
    ],
    [
      `page adds ≤ 50 % over its GraphQL time (year): ${((year.firstPlotMs / year.graphqlMs - 1) * 100).toFixed(0)} %`,
      year.firstPlotMs <= 1.5 * year.graphqlMs,
    ],
    [
      `page adds ≤ 50 % over its GraphQL time (hour): ${((hour.firstPlotMs / hour.graphqlMs - 1) * 100).toFixed(0)} %`,
      hour.firstPlotMs <= 1.5 * hour.graphqlMs,
    ],
    [`< 300 kB per plot (year): ${kB(year.graphqlBytes / plots)} of GraphQL per plot`, year.graphqlBytes / plots < 300_000],
  ];
  for (const [text, met] of goals) say(`${met ? "met   " : "MISSED"} ${text}`);
  return goals.every(([, met]) => met);
}

const TIMELINE = process.argv.includes("--timeline");
const PROFILE = process.argv.includes("--profile");

/** The whole benchmark: seed, then each range's loads, then the goals; then the fleet page with 10,000 assets. */
export async function runPortalBench(runs: number): Promise<void> {
  await withApi({}, async (api) => {
    const asset = await seedYearAsset(api.url, influxFromEnv());
    const browser = await launch();
    try {
      const year = await measureRange(browser, asset, "year", runs);
      printRange(year, TIMELINE);
      const hour = await measureRange(browser, asset, "hour", runs);
      printRange(hour, TIMELINE);
      checkGoals(year, hour);
      say();
      say("the fleet page with 10,000 assets (bench/portal-fleet):");
      await benchFleetPage(api.url, browser);
    } finally {
      await browser.close();
    }
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  await runPortalBench(Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 5));
