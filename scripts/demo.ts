import { fileURLToPath } from "node:url";
import { parseConfig } from "../src/config.js";
import { startApi, stopApi } from "./api-process.js";
import { CMAPSS_FIELDS, CYCLE_SECONDS, loadLines, readCmapss, toLine } from "./cmapss-load.js";

/**
 * The demo: starts the API as its own process, signs up (or in) a demo tenant with a signed token,
 * models NASA's C-MAPSS FD001 turbofans as assets, loads their telemetry through the
 * InfluxDB-compatible endpoint with the official InfluxDB client, queries one engine's aggregates
 * through GraphQL, and stops the API.
 */
const DEMO = { tenantName: "Demo Turbofans Ltd", email: "demo.owner@example.com", name: "Dana Demo", password: "demo password 2026" };
const dataFolder = process.argv[2] ?? fileURLToPath(new URL("../../../shared/data/cmapss", import.meta.url));

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

async function signIn(url: string): Promise<{ token: string; expiresAt: string }> {
  const fields = "token expiresAt tenantId userId";
  const up = await graphql<{ signUp: { token: string; expiresAt: string } }>(
    url,
    `mutation ($input: SignUpInput!) { signUp(input: $input) { ${fields} } }`,
    {
      input: DEMO,
    },
  );
  if (up.data?.signUp) {
    say(`signed up tenant "${DEMO.tenantName}" with owner ${DEMO.email}`);
    return up.data.signUp;
  }
  if (up.errors?.[0]?.extensions?.code !== "CONFLICT") throw new Error(`sign-up failed: ${JSON.stringify(up.errors)}`);
  say(`demo tenant exists already: signing in as ${DEMO.email}`);
  const answer = await graphql<{ signIn: { token: string; expiresAt: string } }>(
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
async function ensureFleet(url: string, token: string, engines: readonly string[]): Promise<Map<string, string>> {
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
  return existing;
}

const api = await startApi();
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

  const train = readCmapss(dataFolder, "train_FD001.txt");
  const test = readCmapss(dataFolder, "test_FD001.txt");
  const externalId = (set: string, unit: number) => `${set}-${String(unit).padStart(3, "0")}`;
  const engines = [...new Set([...train.map((r) => externalId("train", r.unit)), ...test.map((r) => externalId("test", r.unit))])];
  const assets = await ensureFleet(url, token, engines);

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
  const anonymous = await graphql(url, "{ tenant { id } }");
  say(`the same API without a token: ${anonymous.errors?.[0]?.extensions?.code} — ${anonymous.errors?.[0]?.message}`);
  say(`issuer ${config.AUTH_ISSUER}, audience ${config.AUTH_AUDIENCE}; public keys at ${url}/.well-known/jwks.json`);
} finally {
  await stopApi(api.child);
  say("API stopped");
}
