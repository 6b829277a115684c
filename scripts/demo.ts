import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseConfig } from "../src/config.js";
import { startApi, stopApi } from "./api-process.js";
import { CMAPSS_FIELDS, type CmapssRow, CYCLE_SECONDS, loadLines, readCmapss, toLine } from "./cmapss-load.js";
import { acknowledgeFailedEngines, setDemoAlertRule } from "./demo-alerts.js";
import { showUsageAndInvoice, subscribeDemoTenant } from "./demo-billing.js";
import { DEMO_COMPANY, DEMO_PEOPLE, demoMode, EMPTY_COMPANY, ensurePortalPeople, printPortal, untilStopped } from "./demo-portal.js";
import { takeScreenshots } from "./portal-screenshots.js";
import { startWorker, stopWorker } from "./worker-process.js";

/**
 * The demo: starts the API as its own process, signs up (or in) a demo tenant with a signed token,
 * models NASA's C-MAPSS FD001 turbofans as assets, loads their telemetry through the
 * InfluxDB-compatible endpoint with the official InfluxDB client, queries one engine's aggregates
 * through GraphQL, records the training engines' failures, trains a remaining-life model through
 * the trainModel workflow on a worker process, scores the test engines, prints the ten closest to
 * failure against the truth. Then, with a terminal, it keeps the API serving the portal until
 * Ctrl-C; without one, it takes a screenshot of each portal page (demo-portal.ts has the choice).
 * It stops the worker and the API either way.
 */
const DEMO = { tenantName: DEMO_COMPANY, ...DEMO_PEOPLE.owner };
const { mode, rest } = demoMode(process.argv.slice(2), process.env, Boolean(process.stdin.isTTY && process.stdout.isTTY));
const dataFolder = rest[0] ?? fileURLToPath(new URL("../../../shared/data/cmapss", import.meta.url));

const config = parseConfig(process.env);
const say = (line: string) => process.stdout.write(`${line}\n`);

interface Answer {
  data?: Record<string, unknown>;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function graphql<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Answer & { data?: T };
}

async function must<T>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const answer = await graphql<T>(url, query, variables, token);
  if (answer.errors || !answer.data) throw new Error(`GraphQL failed: ${JSON.stringify(answer.errors)}`);
  return answer.data;
}

async function signIn(url: string): Promise<{ token: string; expiresAt: string; tenantId: string }> {
  const fields = "token expiresAt tenantId userId";
  // The answer is the same whether the demo owner exists already or not: sign in either way.
  const up = await graphql<{ signUp: { email: string } }>(url, "mutation ($input: SignUpInput!) { signUp(input: $input) { email } }", {
    input: DEMO,
  });
  if (!up.data?.signUp) throw new Error(`sign-up failed: ${JSON.stringify(up.errors)}`);
  say(`signed up (or found) tenant "${DEMO.tenantName}" with owner ${DEMO.email}; signing in`);
  const answer = await graphql<{ signIn: { token: string; expiresAt: string; tenantId: string } }>(
    url,
    `mutation ($input: SignInInput!) { signIn(input: $input) { ${fields} } }`,
    { input: { email: DEMO.email, password: DEMO.password } },
  );
  if (!answer.data?.signIn) throw new Error(`sign-in failed: ${JSON.stringify(answer.errors)}`);
  return answer.data.signIn;
}

interface Page<N> {
  edges: { node: N }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

async function allAssets(url: string, token: string): Promise<Map<string, string>> {
  const byExternalId = new Map<string, string>();
  let after: string | null = null;
  do {
    const { assets }: { assets: Page<{ id: string; externalId: string }> } = await must(
      url,
      "query ($after: String) { assets(first: 100, after: $after) { edges { node { id externalId } } pageInfo { hasNextPage endCursor } } }",
      { after },
      token,
    );
    for (const e of assets.edges) byExternalId.set(e.node.externalId, e.node.id);
    after = assets.pageInfo.hasNextPage ? assets.pageInfo.endCursor : null;
  } while (after);
  return byExternalId;
}

/** The asset model: a site, and under it one turbofan asset per C-MAPSS engine (created once). */
async function ensureFleet(
  url: string,
  token: string,
  engines: readonly string[],
): Promise<{ assets: Map<string, string>; typeId: string }> {
  const { assetTypes } = await must<{ assetTypes: Page<{ id: string; key: string }> }>(
    url,
    "{ assetTypes(first: 100) { edges { node { id key } } pageInfo { hasNextPage endCursor } } }",
    {},
    token,
  );
  const typeId = async (key: string, name: string, sensors: readonly string[]) =>
    assetTypes.edges.find((e) => e.node.key === key)?.node.id ??
    (
      await must<{ createAssetType: { id: string } }>(
        url,
        "mutation ($input: CreateAssetTypeInput!) { createAssetType(input: $input) { id } }",
        { input: { key, name, sensors: sensors.map((s) => ({ key: s, unit: s.startsWith("setting") ? "" : "sensor units" })) } },
        token,
      )
    ).createAssetType.id;
  const siteType = await typeId("site", "Site", []);
  const turbofan = await typeId("turbofan", "Turbofan engine (C-MAPSS)", CMAPSS_FIELDS);
  const existing = await allAssets(url, token);
  const create = async (input: Record<string, unknown>) =>
    (
      await must<{ createAsset: { id: string } }>(
        url,
        "mutation ($input: CreateAssetInput!) { createAsset(input: $input) { id } }",
        { input },
        token,
      )
    ).createAsset.id;
  const site =
    existing.get("fd001-fleet") ?? (await create({ assetTypeId: siteType, externalId: "fd001-fleet", name: "C-MAPSS FD001 fleet" }));
  let created = 0;
  for (const externalId of engines) {
    if (existing.has(externalId)) continue;
    existing.set(
      externalId,
      await create({ assetTypeId: turbofan, externalId, name: externalId.replace("-", " engine "), parentId: site }),
    );
    created++;
  }
  say(`asset model: site fd001-fleet with ${engines.length} turbofan engines (${created} created now), 24 sensors each`);
  return { assets: existing, typeId: turbofan };
}

/**
 * The models: failures of the training engines recorded as maintenance events, a model trained
 * by the trainModel workflow on a worker process, the test engines scored by the scoreFleet
 * workflow, and the engines closest to failure against the truth of RUL_FD001.
 */
async function predictiveMaintenance(
  url: string,
  token: string,
  fleet: {
    typeId: string;
    assets: Map<string, string>;
    train: readonly CmapssRow[];
    startSeconds: number;
    externalId: (set: string, unit: number) => string;
  },
): Promise<void> {
  const failed = new Set<string>();
  let after: string | null = null;
  do {
    const { maintenanceEvents }: { maintenanceEvents: Page<{ assetId: string }> } = await must(
      url,
      "query ($after: String) { maintenanceEvents(first: 100, after: $after, kinds: [FAILURE]) { edges { node { assetId } } pageInfo { hasNextPage endCursor } } }",
      { after },
      token,
    );
    for (const e of maintenanceEvents.edges) failed.add(e.node.assetId);
    after = maintenanceEvents.pageInfo.hasNextPage ? maintenanceEvents.pageInfo.endCursor : null;
  } while (after);
  const lastCycle = new Map<number, number>();
  for (const r of fleet.train) lastCycle.set(r.unit, Math.max(lastCycle.get(r.unit) ?? 0, r.cycle));
  let recorded = 0;
  for (const [unit, cycle] of lastCycle) {
    const assetId = fleet.assets.get(fleet.externalId("train", unit)) ?? "";
    if (failed.has(assetId)) continue;
    await must(
      url,
      "mutation ($input: RecordMaintenanceEventInput!) { recordMaintenanceEvent(input: $input) { id } }",
      {
        input: {
          assetId,
          kind: "FAILURE",
          occurredAt: new Date((fleet.startSeconds + cycle * CYCLE_SECONDS) * 1000).toISOString(),
          note: "ran to failure",
        },
      },
      token,
    );
    recorded++;
  }
  say(`\nmaintenance: the ${lastCycle.size} training engines ran to failure (${recorded} failure events recorded now)`);

  const { trainModel } = await must<{ trainModel: { id: string } }>(
    url,
    "mutation ($input: TrainModelInput!) { trainModel(input: $input) { id } }",
    { input: { assetTypeId: fleet.typeId, task: "RUL", reason: "demo: learn remaining life from the run-to-failure engines" } },
    token,
  );
  say(`training run ${trainModel.id} started (Temporal workflow trainModel)`);
  const trainStarted = performance.now();
  let shown = "";
  type Run = {
    status: string;
    versionId: string | null;
    promoted: boolean | null;
    error: string | null;
    progress: { stage: string; percent: number } | null;
  };
  let run: Run;
  for (;;) {
    ({ trainingRun: run } = await must<{ trainingRun: Run }>(
      url,
      "query ($id: ID!) { trainingRun(id: $id) { status versionId promoted error progress { stage percent } } }",
      { id: trainModel.id },
      token,
    ));
    const line = run.progress ? `${run.progress.stage} ${run.progress.percent}%` : run.status;
    if (line !== shown) {
      say(`  ${((performance.now() - trainStarted) / 1000).toFixed(0).padStart(4)} s  ${line}`);
      shown = line;
    }
    if (run.status !== "RUNNING") break;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  if (run.status !== "SUCCEEDED") throw new Error(`training ended ${run.status}: ${run.error}`);
  const { modelVersion } = await must<{ modelVersion: { version: number; metrics: { holdout: { rmse: number; assets: number } } } }>(
    url,
    "query ($id: ID!) { modelVersion(id: $id) { version metrics } }",
    { id: run.versionId },
    token,
  );
  say(
    `model version ${modelVersion.version} registered in ${((performance.now() - trainStarted) / 1000).toFixed(1)} s: holdout RMSE ${modelVersion.metrics.holdout.rmse.toFixed(2)} on ${modelVersion.metrics.holdout.assets} held-out engines; ${run.promoted ? "promoted to champion" : "kept as challenger (not better than the champion)"}`,
  );

  const call = <T>(query: string, variables: Record<string, unknown>, bearer: string) => must<T>(url, query, variables, bearer);
  await setDemoAlertRule(call, token, fleet.typeId, say);
  const { scoreFleet: scoringId } = await must<{ scoreFleet: string }>(
    url,
    "mutation ($id: ID!) { scoreFleet(assetTypeId: $id) }",
    { id: fleet.typeId },
    token,
  );
  const scoreStarted = performance.now();
  let scoring: { status: string; scored: number | null };
  do {
    await new Promise((resolve) => setTimeout(resolve, 500));
    ({ scoringRun: scoring } = await must<{ scoringRun: { status: string; scored: number | null } }>(
      url,
      "query ($id: ID!) { scoringRun(id: $id) { status scored } }",
      { id: scoringId },
      token,
    ));
  } while (scoring.status === "RUNNING");
  if (scoring.status !== "COMPLETED") throw new Error(`scoring ended ${scoring.status}`);
  say(
    `scored ${scoring.scored} engines with the champion in ${((performance.now() - scoreStarted) / 1000).toFixed(1)} s (workflow scoreFleet)`,
  );
  await acknowledgeFailedEngines(call, token, say);

  const truth = readFileSync(join(dataFolder, "RUL_FD001.txt"), "utf8").trim().split(/\s+/).map(Number);
  const byEngine = new Map<string, { rul: number; low: number; high: number }>();
  let cursor: string | null = null;
  do {
    const { fleetHealth }: { fleetHealth: Page<{ externalId: string; prediction: { rul: number; rulLow: number; rulHigh: number } }> } =
      await must(
        url,
        "query ($id: ID!, $after: String) { fleetHealth(assetTypeId: $id, first: 100, after: $after) { edges { node { externalId prediction { rul rulLow rulHigh } } } pageInfo { hasNextPage endCursor } } }",
        { id: fleet.typeId, after: cursor },
        token,
      );
    for (const e of fleetHealth.edges)
      byEngine.set(e.node.externalId, { rul: e.node.prediction.rul, low: e.node.prediction.rulLow, high: e.node.prediction.rulHigh });
    cursor = fleetHealth.pageInfo.hasNextPage ? fleetHealth.pageInfo.endCursor : null;
  } while (cursor);
  const tested = truth.map((trueRul, k) => ({
    engine: fleet.externalId("test", k + 1),
    trueRul,
    p: byEngine.get(fleet.externalId("test", k + 1)),
  }));
  const scored = tested.filter((t): t is typeof t & { p: { rul: number; low: number; high: number } } => t.p !== undefined);
  const rmse = Math.sqrt(scored.reduce((sum, t) => sum + (t.p.rul - t.trueRul) ** 2, 0) / scored.length);
  say("\nthe ten test engines closest to failure (predicted remaining cycles, 80% interval, and the truth from RUL_FD001):");
  say("engine      predicted   interval     true   error");
  for (const t of [...scored].sort((a, b) => a.p.rul - b.p.rul).slice(0, 10)) {
    say(
      `${t.engine.padEnd(10)}  ${t.p.rul.toFixed(1).padStart(9)}   ${`${t.p.low.toFixed(0)}–${t.p.high.toFixed(0)}`.padStart(8)}   ${String(t.trueRul).padStart(6)}   ${(t.p.rul - t.trueRul).toFixed(1).padStart(5)}`,
    );
  }
  say(`RMSE over the ${scored.length} test engines (stored predictions against RUL_FD001): ${rmse.toFixed(2)} cycles`);
}

const api = await startApi();
const worker = await startWorker().catch(async (error: unknown) => {
  await stopApi(api.child);
  throw error;
});
const { url } = api;
try {
  say(`API started at ${url} (Node ${process.versions.node})`);
  const ready = (await (await fetch(`${url}/readyz`)).json()) as { ready: boolean; checks: Record<string, { ok: boolean; ms: number }> };
  say(
    `readiness: ${Object.entries(ready.checks)
      .map(([name, c]) => `${name} ${c.ok ? "ok" : "DOWN"} (${c.ms} ms)`)
      .join(", ")}`,
  );

  const session = await signIn(url);
  const [header] = session.token.split(".");
  say(
    `signed access token (ES256, key ${JSON.parse(Buffer.from(header ?? "", "base64url").toString()).kid}), expires ${session.expiresAt}`,
  );
  const token = session.token;
  const call = <T>(query: string, variables: Record<string, unknown>, bearer: string) => must<T>(url, query, variables, bearer);
  say("\nbilling: the machine maker's plan, Stripe's catalogue, and the tenant's subscription");
  await subscribeDemoTenant(url, config, { id: session.tenantId, token }, call, say);

  const train = readCmapss(dataFolder, "train_FD001.txt");
  const test = readCmapss(dataFolder, "test_FD001.txt");
  const externalId = (set: string, unit: number) => `${set}-${String(unit).padStart(3, "0")}`;
  const engines = [...new Set([...train.map((r) => externalId("train", r.unit)), ...test.map((r) => externalId("test", r.unit))])];
  const { assets, typeId } = await ensureFleet(url, token, engines);

  const { createDevice } = await must<{ createDevice: { device: { id: string }; issued: { secret: string } } }>(
    url,
    "mutation ($input: CreateDeviceInput!) { createDevice(input: $input) { device { id } issued { secret } } }",
    { input: { name: `C-MAPSS loader ${new Date().toISOString()}`, assetIds: engines.map((e) => assets.get(e) ?? "") } },
    token,
  );
  // Cycle 1 of every engine starts 30 days ago at midnight UTC; one cycle is one hour.
  const startSeconds = Math.floor(Date.now() / 86_400_000) * 86_400 - 30 * 86_400;
  const lines = [
    ...train.map((r) => toLine("turbofan", externalId("train", r.unit), r, startSeconds)),
    ...test.map((r) => toLine("turbofan", externalId("test", r.unit), r, startSeconds)),
  ];
  say(
    `loading ${lines.length} C-MAPSS cycles (${train.length} train, ${test.length} test) as ${lines.length * CMAPSS_FIELDS.length} values through ${url}/api/v2/write`,
  );
  let lastPrint = 0;
  const loaded = await loadLines(url, createDevice.issued.secret, lines, (p) => {
    if (performance.now() - lastPrint > 250 || p.sent === p.total) {
      lastPrint = performance.now();
      say(
        `  ${p.sent.toLocaleString("en")} / ${p.total.toLocaleString("en")} points sent, ${Math.round(p.perSecond).toLocaleString("en")} points/s`,
      );
    }
  });
  say(
    `loaded ${loaded.sent.toLocaleString("en")} points at ${Math.round(loaded.perSecond).toLocaleString("en")} points/s with @influxdata/influxdb-client`,
  );

  const engine = "train-001";
  const cycles = train.filter((r) => r.unit === 1).length;
  const from = new Date((startSeconds + CYCLE_SECONDS) * 1000).toISOString();
  const to = new Date((startSeconds + (cycles + 1) * CYCLE_SECONDS) * 1000).toISOString();
  const sensors = ["s2", "s3", "s4", "s7", "s11"];
  const query = `query EngineDaily($assetId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
  telemetryAggregate(assetId: $assetId, from: $from, to: $to, windowSeconds: 86400, aggregate: MEAN, sensors: ${JSON.stringify(sensors)}) {
    sensors
    times
    values
  }
}`;
  say(`\nPOST ${url}/graphql  (Authorization: Bearer <token>): daily means of engine ${engine} over its ${cycles} cycles\n${query}\n`);
  const { telemetryAggregate } = await must<{
    telemetryAggregate: { sensors: string[]; times: string[]; values: (number | null)[][] };
  }>(url, query, { assetId: assets.get(engine), from, to }, token);
  say(`day         ${telemetryAggregate.sensors.map((s) => s.padStart(9)).join("")}`);
  telemetryAggregate.times.forEach((time, i) => {
    const cells = telemetryAggregate.values.map((column) => column[i] ?? null);
    say(`${time.slice(0, 10)}  ${cells.map((v) => (v === null ? "-" : v.toFixed(2)).padStart(9)).join("")}`);
  });
  say("(a degrading engine: s2, s3, s4 and s11 rise and s7 falls towards its failure)");

  const { fleetOverview } = await must<{ fleetOverview: Page<{ externalId: string; pointsLastDay: number; lastSeenAt: string | null }> }>(
    url,
    "{ fleetOverview(first: 3) { edges { node { externalId pointsLastDay lastSeenAt } } pageInfo { hasNextPage endCursor } } }",
    {},
    token,
  );
  say(
    `\nfleet overview (first 3): ${fleetOverview.edges.map((e) => `${e.node.externalId} ${e.node.pointsLastDay} points, last seen ${e.node.lastSeenAt ?? "never"}`).join("; ")}`,
  );
  await predictiveMaintenance(url, token, { typeId, assets, train, startSeconds, externalId });
  await showUsageAndInvoice(token, call, say);

  const anonymous = await graphql(url, "{ tenant { id } }");
  say(`the same API without a token: ${anonymous.errors?.[0]?.extensions?.code} — ${anonymous.errors?.[0]?.message}`);
  say(`issuer ${config.AUTH_ISSUER}, audience ${config.AUTH_AUDIENCE}; public keys at ${url}/.well-known/jwks.json`);

  await ensurePortalPeople(call, (q, v) => graphql(url, q, v), token, say);
  // Asking again replaces the pending invitation: the link is always open.
  const { createInvitation } = await must<{ createInvitation: { url: string } }>(
    url,
    "mutation ($email: String!, $role: MemberRole!) { createInvitation(email: $email, role: $role) { url } }",
    { email: "demo.engineer@example.com", role: "ENGINEER" },
    token,
  );
  const invitation = new URL(createInvitation.url);
  const portalData = {
    invitationPath: `${invitation.pathname}${invitation.hash}`,
    people: DEMO_PEOPLE,
    company: DEMO_COMPANY,
    emptyCompany: EMPTY_COMPANY,
    asset: { id: assets.get(engine) ?? "", name: engine.replace("-", " engine "), from, to },
  };
  if (mode.kind === "screenshots") {
    say(`\nthe portal's pages in Chromium, on this data, into ${mode.folder}:`);
    const files = await takeScreenshots(url, portalData, mode.folder, say);
    say(`${files.length} screenshots saved in ${mode.folder}`);
  } else if (mode.kind === "serve") {
    printPortal(url, say);
    say("the API and the worker keep running; Ctrl-C stops them (and the stack, if the demo started it)");
    say(`stopping: ${await untilStopped(api.child)}`);
  }
} finally {
  await stopWorker(worker);
  await stopApi(api.child);
  say("worker and API stopped");
}
