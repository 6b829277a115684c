import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type * as Sdk from "../sdk/src/index.js";
import { alerts } from "../src/alerts/schema.js";
import { chargeCost } from "../src/api/limits/throttle.js";
import { newId } from "../src/core/ids.js";
import { assetPredictions } from "../src/mlops/schema.js";
import * as g from "./generated/graphql.js";
import { createTestPlan, newPaidTenant, subscribeTenant } from "./support/billing.js";
import { type Api, gqlOk, newApiKey, newFleet, newTenant, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { asOwner, registerTestVersion } from "./support/models.js";
import { msToNs, waitFor } from "./support/telemetry.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));

/** npm with a cache of its own and a registry that does not answer: whatever needs the network fails. */
function npm(args: string[], cwd: string, cache: string) {
  return run("npm", args, {
    cwd,
    env: { ...process.env, npm_config_cache: cache, npm_config_registry: "http://127.0.0.1:9/", npm_config_update_notifier: "false" },
  });
}

describe("the partner SDK: packed, installed offline, run against the API", () => {
  let api: Api;
  let tenant: TestTenant;
  let other: TestTenant;
  /** A tenant whose plan allows 60 cost points a minute per caller: one point comes back each second. */
  let slow: TestTenant;
  /** Its keys, made before it moved to that plan (its owner's own bucket is then spent for long). */
  const slowKeys: { id: string; secret: string }[] = [];
  let fleet: Awaited<ReturnType<typeof newFleet>>;
  let readKey: { id: string; secret: string };
  let tmp: string;
  let app: string;
  let packed: { filename: string; size: number; files: { path: string }[] };
  let sdk: typeof Sdk;
  let openAlertId: string;

  const idOf = (externalId: string) => fleet.assets.find((a) => a.externalId === externalId)?.id ?? "";

  async function predict(externalId: string, versionId: string, values: Partial<typeof assetPredictions.$inferInsert>) {
    await asOwner(api, tenant, (ctx) =>
      ctx.tx.insert(assetPredictions).values({
        tenantId: tenant.tenantId,
        id: newId("prediction"),
        assetId: idOf(externalId),
        task: "rul",
        modelVersionId: versionId,
        dataTime: new Date(),
        source: "online",
        ...values,
      }),
    );
  }

  async function alert(externalId: string, kind: "rul_low" | "anomaly", status: "open" | "acknowledged", value: number, threshold: number) {
    const id = newId("alert");
    await asOwner(api, tenant, (ctx) =>
      ctx.tx.insert(alerts).values({
        tenantId: tenant.tenantId,
        id,
        assetId: idOf(externalId),
        kind,
        status,
        value,
        threshold,
        predictionId: newId("prediction"),
        explanation: { summary: "seeded" },
      }),
    );
    return id;
  }

  async function report(apiKey: string) {
    const example = join(app, "fleet-health-report.ts");
    try {
      const { stdout } = await run(process.execPath, [example], {
        cwd: app,
        env: { ...process.env, PDM_API_URL: api.url, PDM_API_KEY: apiKey },
      });
      return { code: 0, stdout, stderr: "" };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  before(async () => {
    api = await startApi(testConfig());
    tenant = await newPaidTenant(api, "Partner Fleet");
    other = await newTenant(api, "Someone Else");
    slow = await newTenant(api, "Slow Lane");
    for (let i = 0; i < 2; i++) slowKeys.push(await newApiKey(api, slow, ["telemetry:read"]));
    await subscribeTenant(api, slow, (await createTestPlan(api, { name: "One point a second", graphqlCostPerMinute: 60 })).code);
    fleet = await newFleet(api, tenant, { assets: 3, sensors: ["s1", "s2"] });
    await gqlOk(api, g.SetAlertRuleDocument, { input: { assetTypeId: fleet.typeId, rulBelow: 30, anomaly: true } }, tenant.token);
    const rul = await registerTestVersion(api, tenant, { assetTypeId: fleet.typeId, runId: newId("trainingRun"), rmse: 10 });
    const anomaly = await registerTestVersion(api, tenant, {
      assetTypeId: fleet.typeId,
      runId: newId("trainingRun"),
      rmse: 1,
      task: "anomaly",
    });
    await predict("engine_1", rul.version.id, { rul: 12, rulLow: 8, rulHigh: 15 });
    await predict("engine_2", rul.version.id, { rul: 85, rulLow: 70, rulHigh: 100 });
    await predict("engine_2", anomaly.version.id, { task: "anomaly", anomalyScore: 0.25, anomalyThreshold: 0.5 });
    openAlertId = await alert("engine_1", "rul_low", "open", 12, 30);
    await alert("engine_2", "anomaly", "acknowledged", 0.75, 0.5);
    readKey = await newApiKey(api, tenant, ["telemetry:read", "models:read"]);

    tmp = mkdtempSync(join(tmpdir(), "pdm-sdk-"));
    const cache = join(tmp, "npm-cache");
    const [pack] = JSON.parse(
      (await npm(["pack", "--json", "--pack-destination", tmp], join(root, "sdk"), cache)).stdout,
    ) as (typeof packed)[];
    assert.ok(pack, "npm pack names the tarball");
    packed = pack;
    app = join(tmp, "partner-app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "partner-app", private: true, type: "module" }));
    await npm(["install", "--offline", "--no-audit", "--no-fund", join(tmp, packed.filename)], app, cache);
    copyFileSync(join(app, "node_modules/@pdm/sdk/examples/fleet-health-report.ts"), join(app, "fleet-health-report.ts"));
    sdk = (await import(pathToFileURL(join(app, "node_modules/@pdm/sdk/dist/index.js")).href)) as typeof Sdk;
  });

  after(async () => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    await api?.close();
  });

  it("packs compiled code, types and the example only, and installs with no registry and no dependency", () => {
    const files = packed.files.map((f) => f.path);
    assert.ok(files.includes("dist/index.js") && files.includes("dist/index.d.ts") && files.includes("examples/fleet-health-report.ts"));
    assert.deepEqual(
      files.filter((f) => !/^(dist\/|examples\/|operations\/|package\.json$|README\.md$)/.test(f)),
      [],
    );
    assert.deepEqual(
      readdirSync(join(app, "node_modules")).filter((d) => !d.startsWith(".")),
      ["@pdm"],
      "nothing but the SDK installed",
    );
    const manifest = JSON.parse(readFileSync(join(app, "node_modules/@pdm/sdk/package.json"), "utf8")) as Record<string, unknown>;
    assert.equal(manifest.dependencies, undefined);
    assert.equal(manifest.peerDependencies, undefined);
  });

  it("prints the fleet-health report of the key's tenant: assets, health, remaining life, anomaly, open alerts", async () => {
    const { code, stdout, stderr } = await report(readKey.secret);
    assert.equal(code, 0, stderr);
    assert.match(stdout, new RegExp(`^Fleet health report, tenant ${tenant.tenantId}$`, "m"));
    assert.match(stdout, /^3 assets: 1 critical, 1 watch, 0 ok, 1 unknown$/m);
    assert.match(stdout, /^engine_1 +Engine 1 +CRITICAL +12\.0 +8\.0\.\.15\.0 +- +1$/m);
    assert.match(stdout, /^engine_2 +Engine 2 +WATCH +85\.0 +70\.0\.\.100\.0 +0\.25\/0\.50 +0$/m);
    assert.match(stdout, /^engine_3 +Engine 3 +UNKNOWN +- +- +- +0$/m);
    assert.match(stdout, /^Open alerts: 1$/m);
    assert.match(stdout, /^ {2}RUL_LOW on engine_1 \(Engine 1\): value 12\.0, threshold 30\.0, opened \d{4}-/m);
    // Health order: critical, then watch (an acknowledged anomaly alert is not resolved), unknown last.
    assert.ok(stdout.indexOf("engine_1 ") < stdout.indexOf("engine_2 ") && stdout.indexOf("engine_2 ") < stdout.indexOf("engine_3 "));
  });

  it("a key lacking a scope: the example stops with FORBIDDEN, and the client throws it typed", async () => {
    const telemetryOnly = await newApiKey(api, tenant, ["telemetry:read"]);
    const { code, stderr } = await report(telemetryOnly.secret);
    assert.equal(code, 1);
    assert.match(stderr, /^FORBIDDEN: .+ \(request req_[0-9a-f]+\)$/m);

    const client = sdk.createClient({ url: api.url, apiKey: telemetryOnly.secret });
    const error = await sdk.collect(client.alerts({ statuses: ["OPEN"] })).catch((e: unknown) => e);
    assert.ok(error instanceof sdk.PdmApiError);
    assert.equal(error.code, "FORBIDDEN");
    assert.match(error.requestId ?? "", /^req_/);
    assert.deepEqual(error.path, ["alerts"]);
    assert.equal((await sdk.collect(client.fleet())).length, 3, "what its scope allows still works");
  });

  it("errors carry the API's code and request id: NOT_FOUND (also for another tenant's asset) and UNAUTHENTICATED", async () => {
    const client = sdk.createClient({ url: api.url, apiKey: readKey.secret });
    const missing = await client.assetHealth("asset_doesnotexist").catch((e: unknown) => e);
    assert.ok(missing instanceof sdk.PdmApiError);
    assert.equal(missing.code, "NOT_FOUND");
    assert.match(missing.requestId ?? "", /^req_/);

    const theirs = await newFleet(api, other, { assets: 1, sensors: ["s1"] });
    const foreign = await client
      .request(sdk.documents.AssetHealthDocument, { assetId: theirs.assets[0]?.id ?? "" })
      .catch((e: unknown) => e);
    assert.ok(foreign instanceof sdk.PdmApiError);
    assert.equal(foreign.code, "NOT_FOUND");

    const bogus = sdk.createClient({ url: `${api.url}/graphql`, apiKey: "pdmk_not_a_key" });
    const refused = await bogus.viewer().catch((e: unknown) => e);
    assert.ok(refused instanceof sdk.PdmApiError);
    assert.equal(refused.code, "UNAUTHENTICATED");
    assert.equal(refused.status, 401);
    assert.match(refused.requestId ?? "", /^req_/);
  });

  it("pages through a connection with its cursors, one asset per page", async () => {
    const client = sdk.createClient({ url: api.url, apiKey: readKey.secret });
    const pages: string[] = [];
    const names = await sdk.collect(
      client.paginate(
        sdk.documents.FleetOverviewDocument,
        { sort: "NAME" },
        (r) => {
          pages.push(r.fleetOverview.pageInfo.endCursor ?? "end");
          return r.fleetOverview;
        },
        { pageSize: 1 },
      ),
    );
    assert.deepEqual(
      names.map((n) => n.externalId),
      ["engine_1", "engine_2", "engine_3"],
    );
    assert.ok(pages.length >= 3, "one request per asset");
  });

  it("reads telemetry a device wrote: latest values and the series", async () => {
    const base = Date.now() - 60_000;
    const lines = [0, 1, 2].map((i) => `turbofan,asset=engine_2 s1=${500 + i},s2=${i} ${msToNs(base + i * 1000)}`).join("\n");
    const res = await fetch(`${api.url}/api/v2/write?org=any&bucket=telemetry`, {
      method: "POST",
      headers: { authorization: `Token ${fleet.deviceToken}` },
      body: lines,
    });
    assert.equal(res.status, 204);
    const client = sdk.createClient({ url: api.url, apiKey: readKey.secret });
    const latest = await waitFor("the latest values", async () => {
      const values = await client.latestTelemetry(idOf("engine_2"), ["s1", "s2"]);
      return values.length === 2 ? values : undefined;
    });
    assert.deepEqual(latest.map((v) => [v.sensor, v.value, v.time]).sort(), [
      ["s1", 502, new Date(base + 2000).toISOString()],
      ["s2", 2, new Date(base + 2000).toISOString()],
    ]);
    const series = await client.telemetry({
      assetId: idOf("engine_2"),
      from: new Date(base).toISOString(),
      to: new Date(base + 3000).toISOString(),
      sensors: ["s1"],
    });
    assert.deepEqual(series.values, [[500, 501, 502]]);
  });

  it("acknowledges an alert with a key that may, recorded as the key; the report then shows none open", async () => {
    const writer = await newApiKey(api, tenant, ["telemetry:read", "models:read", "models:write"]);
    const client = sdk.createClient({ url: api.url, apiKey: writer.secret });
    const acknowledged = await client.acknowledgeAlert(openAlertId);
    assert.equal(acknowledged.status, "ACKNOWLEDGED");
    assert.equal(acknowledged.acknowledgedBy, `api_key:${writer.id}`);
    const { stdout } = await report(readKey.secret);
    assert.match(stdout, /^Open alerts: 0$/m);
  });

  /** A fresh key whose rate-limit bucket is spent to the last point (as a burst of requests would leave it). */
  async function spentKey() {
    const key = slowKeys.pop();
    assert.ok(key, "a key of the slow tenant left");
    await chargeCost(api.services.db, { key: `key:${key.id}`, tenantId: slow.tenantId, defaultPerMinute: 60 }, 100_000_000);
    return key;
  }

  /** The global fetch, recording each answer's status and Retry-After. */
  function recordingFetch(answers: { status: number; retryAfter: string | null }[]): Sdk.FetchLike {
    return async (url, init) => {
      const response = await fetch(url, init);
      answers.push({ status: response.status, retryAfter: response.headers.get("retry-after") });
      return response;
    };
  }

  it("RATE_LIMITED: sends the request again after the Retry-After the API named, and answers", async () => {
    const key = await spentKey();
    const answers: { status: number; retryAfter: string | null }[] = [];
    const client = sdk.createClient({ url: api.url, apiKey: key.secret, fetch: recordingFetch(answers) });
    const viewer = await client.viewer();
    assert.equal(viewer.apiKeyId, key.id);
    assert.equal(answers[0]?.status, 429);
    assert.match(answers[0]?.retryAfter ?? "", /^[1-9]\d*$/);
    assert.equal(answers.at(-1)?.status, 200);
  });

  it("RATE_LIMITED with a Retry-After beyond the client's bound: throws at once, typed, with the wait", async () => {
    const key = await spentKey();
    const answers: { status: number; retryAfter: string | null }[] = [];
    const client = sdk.createClient({ url: api.url, apiKey: key.secret, fetch: recordingFetch(answers), retry: { maxDelaySeconds: 0 } });
    const error = await client.viewer().catch((e: unknown) => e);
    assert.ok(error instanceof sdk.PdmApiError);
    assert.equal(error.code, "RATE_LIMITED");
    assert.equal(error.status, 429);
    assert.ok((error.retryAfterSeconds ?? 0) >= 1);
    assert.equal(answers.length, 1, "not sent again");
  });
});
