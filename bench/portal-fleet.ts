import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Request } from "playwright-core";
import { parseOwnerConfig } from "../src/config.js";
import { connectDb } from "../src/db/client.js";
import { removeSeededFleet, seedFleet } from "./fleet-seed.js";
import { ascending, graphql, int, quantile, say, setUpTenant, withApi } from "./support.js";

/**
 * The portal's fleet page on a tenant of 10,000 assets, in Debian's Chromium: the time from
 * navigation to the first rows painted, against the time of the page's first `fleetOverview`
 * request measured in the same load (the floor the page cannot beat), then a scroll through
 * several thousand rows (programmatic steps of 40 rows, two frames apart, waiting at the end of
 * the loaded rows for the next page) while requestAnimationFrame records every frame's duration.
 *
 * Usage: node dist/bench/portal-fleet.js [rows to scroll through, default 5000]
 * (`./run bench portal-fleet`). `runPortalFleetBench` runs it against any API and token.
 */

export interface PortalFleetFigures {
  /** Navigation start to the first fleet row painted (the frame after it entered the DOM), ms. */
  readonly firstRowsMs: number;
  /** The first fleetOverview request: when it started after navigation, and how long it took (request to last byte), ms. */
  readonly requestStartMs: number;
  readonly requestMs: number;
  readonly totalCount: number;
  readonly scroll: {
    readonly rowsReached: number;
    readonly rowsLoaded: number;
    readonly requests: number;
    readonly elapsedMs: number;
    /** Time spent at the end of the loaded rows waiting for the next page. */
    readonly waitingMs: number;
    readonly maxRowsInDom: number;
    readonly frames: number;
    readonly medianMs: number;
    readonly p95Ms: number;
    readonly maxMs: number;
    readonly over50ms: number;
    /** Of those, how many while scrolling and how many while a page arrived (and the frame after). */
    readonly over50msScrolling: number;
    readonly over50msPageArriving: number;
  };
}

const CHROMIUM = "/usr/bin/chromium";
const ROW_HEIGHT = 56;

/** Records, inside the page, when the first fleet row enters the DOM and the frame after it. */
const FIRST_ROW_PROBE = `(() => {
  const probe = { inserted: null, painted: null };
  Object.defineProperty(window, "__fleetProbe", { value: probe });
  const observer = new MutationObserver(() => {
    if (probe.inserted === null && document.querySelector("tbody tr[data-asset-id]")) {
      probe.inserted = performance.now();
      observer.disconnect();
      requestAnimationFrame(() => { probe.painted = performance.now(); });
    }
  });
  observer.observe(document, { childList: true, subtree: true });
})()`;

/** Scrolls the fleet's box through `goal` rows and records every frame; runs inside the page. */
const SCROLL = `async (goal) => {
  const box = document.querySelector(".fleet-scroll");
  const loaded = () => Number(document.querySelector("[data-loaded]")?.getAttribute("data-loaded") ?? 0);
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const frames = [];
  const slow = { stepping: 0, waiting: 0 };
  let phase = "stepping";
  let running = true;
  let last = 0;
  const tick = (t) => { if (last > 0) { frames.push(t - last); if (t - last > 50) slow[phase]++; } last = t; if (running) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  await nextFrame();
  const step = 40 * ${ROW_HEIGHT};
  let maxDom = 0;
  let waiting = 0;
  const started = performance.now();
  while (box.scrollTop / ${ROW_HEIGHT} < goal) {
    const bottom = box.scrollHeight - box.clientHeight;
    if (box.scrollTop >= bottom - 1) {
      const before = loaded();
      const t0 = performance.now();
      phase = "waiting";
      while (loaded() === before && performance.now() - t0 < 15000) await nextFrame();
      await nextFrame();
      phase = "stepping";
      waiting += performance.now() - t0;
      if (loaded() === before) break;
      continue;
    }
    box.scrollTop = Math.min(bottom, box.scrollTop + step);
    await nextFrame();
    await nextFrame();
    maxDom = Math.max(maxDom, document.querySelectorAll("tbody tr[data-asset-id]").length);
  }
  running = false;
  return { frames, slow, maxDom, loaded: loaded(), reached: Math.round(box.scrollTop / ${ROW_HEIGHT}), elapsed: performance.now() - started, waiting };
}`;

interface ScrollResult {
  frames: number[];
  slow: { stepping: number; waiting: number };
  maxDom: number;
  loaded: number;
  reached: number;
  elapsed: number;
  waiting: number;
}

/** The token's expiry (a JWT's `exp`), else a quarter of an hour from now. */
function expiryOf(token: string): string {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: number };
    if (typeof payload.exp === "number") return new Date(payload.exp * 1000).toISOString();
  } catch {
    // not a JWT: fall through
  }
  return new Date(Date.now() + 15 * 60_000).toISOString();
}

/**
 * Opens `/fleet` signed in with `token` (the session the portal keeps in the tab, set before its
 * scripts run), measures the first load and a scroll through `scrollRows` rows.
 */
export async function runPortalFleetBench(
  browser: Browser,
  apiUrl: string,
  token: string,
  options: { scrollRows?: number } = {},
): Promise<PortalFleetFigures> {
  const { viewer } = await graphql<{ viewer: { tenantId: string; userId: string } }>(apiUrl, "{ viewer { tenantId userId } }", {}, token);
  const session = { token, expiresAt: expiryOf(token), tenantId: viewer.tenantId, userId: viewer.userId, email: "", tenants: [] };
  const context = await browser.newContext({ baseURL: apiUrl, viewport: { width: 1280, height: 900 } });
  try {
    await context.addInitScript(`sessionStorage.setItem("pdm.portal.session", ${JSON.stringify(JSON.stringify(session))});`);
    await context.addInitScript(FIRST_ROW_PROBE);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    const fleetRequests: Request[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/graphql") && (r.postData() ?? "").includes("PortalFleetOverview")) fleetRequests.push(r);
    });

    await page.goto("/fleet");
    await page.waitForFunction(
      () => (globalThis as unknown as { __fleetProbe: { painted: number | null } }).__fleetProbe.painted !== null,
      undefined,
      {
        timeout: 60_000,
      },
    );
    const probe = (await page.evaluate("({ painted: window.__fleetProbe.painted, origin: performance.timeOrigin })")) as {
      painted: number;
      origin: number;
    };
    const first = fleetRequests[0];
    if (!first) throw new Error("the page asked no fleetOverview");
    await first.response();
    const timing = first.timing();
    const totalCount = Number(await page.locator("[data-total]").getAttribute("data-total"));

    const scrolled = (await page.evaluate(`(${SCROLL})(${options.scrollRows ?? 5000})`)) as ScrollResult;
    if (errors.length > 0) throw new Error(`the page logged errors: ${errors.join("; ")}`);
    const frames = ascending(scrolled.frames);
    return {
      firstRowsMs: probe.painted,
      requestStartMs: timing.startTime - probe.origin,
      requestMs: timing.responseEnd,
      totalCount,
      scroll: {
        rowsReached: scrolled.reached,
        rowsLoaded: scrolled.loaded,
        requests: fleetRequests.length,
        elapsedMs: scrolled.elapsed,
        waitingMs: scrolled.waiting,
        maxRowsInDom: scrolled.maxDom,
        frames: frames.length,
        medianMs: quantile(frames, 0.5),
        p95Ms: quantile(frames, 0.95),
        maxMs: frames[frames.length - 1] ?? 0,
        over50ms: frames.filter((f) => f > 50).length,
        over50msScrolling: scrolled.slow.stepping,
        over50msPageArriving: scrolled.slow.waiting,
      },
    };
  } finally {
    await context.close();
  }
}

export function printPortalFleet(f: PortalFleetFigures): void {
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  say(`fleet page, ${int(f.totalCount)} assets:`);
  say(`  first rows painted        ${ms(f.firstRowsMs)} after navigation`);
  say(`  first fleetOverview       ${ms(f.requestMs)} (request to last byte; started ${ms(f.requestStartMs)} after navigation)`);
  say(`  first rows / request      ${(f.firstRowsMs / f.requestMs).toFixed(1)}×`);
  say(`  rows painted after answer ${ms(f.firstRowsMs - f.requestStartMs - f.requestMs)} (the rest is loading the page and its script)`);
  const s = f.scroll;
  say(
    `  scroll                    ${int(s.rowsReached)} rows in ${ms(s.elapsedMs)} (${ms(s.waitingMs)} waiting for pages), ${int(s.rowsLoaded)} loaded in ${s.requests} requests, at most ${s.maxRowsInDom} rows in the DOM`,
  );
  say(
    `  frames                    ${int(s.frames)}: median ${ms(s.medianMs)}, p95 ${ms(s.p95Ms)}, max ${ms(s.maxMs)}, ${s.over50ms} over 50 ms (${s.over50msScrolling} while scrolling, ${s.over50msPageArriving} while a page arrived)`,
  );
}

/** Seeds 10,000 assets into a new tenant, measures its fleet page and prints the figures. */
export async function benchFleetPage(apiUrl: string, browser: Browser, scrollRows = 5000): Promise<void> {
  const tenant = await setUpTenant(apiUrl, "portal-fleet");
  const owner = connectDb(parseOwnerConfig(process.env).DATABASE_OWNER_URL, { max: 1, applicationName: "pdm-bench-owner" });
  try {
    await seedFleet(owner, tenant.tenantId);
    say(`tenant ${tenant.tenantId}: 10,000 assets seeded`);
    printPortalFleet(await runPortalFleetBench(browser, apiUrl, tenant.token, { scrollRows }));
  } finally {
    await removeSeededFleet(owner, tenant.tenantId);
    await owner.close();
  }
}

async function main(): Promise<void> {
  const scrollRows = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 5000);
  await withApi({}, async (api) => {
    const args = process.getuid?.() === 0 ? ["--no-sandbox"] : [];
    const browser = await chromium.launch({ executablePath: CHROMIUM, args });
    try {
      await benchFleetPage(api.url, browser, scrollRows);
    } finally {
      await browser.close();
    }
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
