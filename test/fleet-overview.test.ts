import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { alertRules, alerts } from "../src/alerts/schema.js";
import { newId } from "../src/core/ids.js";
import { assetPredictions } from "../src/mlops/schema.js";
import { assetActivity } from "../src/telemetry/schema.js";
import * as g from "./generated/graphql.js";
import { newPaidTenant } from "./support/billing.js";
import { type Api, gql, gqlOk, newTenant, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { asOwner, registerTestVersion } from "./support/models.js";

type Vars = g.FleetPageQueryVariables;
type Node = g.FleetPageQuery["fleetOverview"]["edges"][number]["node"];

describe("fleet overview: tree, health, remaining life, sorts, search and keyset pages", () => {
  let api: Api;
  let a: TestTenant;
  let b: TestTenant;
  let typeId: string;
  let versionId: string;
  const id: Record<string, string> = {};
  const seen: Record<string, Date> = {};

  async function createAsset(key: string, externalId: string, name: string, parent?: string) {
    const { createAsset } = await gqlOk(
      api,
      g.CreateAssetDocument,
      { input: { assetTypeId: typeId, externalId, name, ...(parent ? { parentId: id[parent] } : {}) } },
      a.token,
    );
    id[key] = createAsset.id;
  }

  async function predict(key: string, rul: number, low: number, high: number, at = Date.now()) {
    await asOwner(api, a, (ctx) =>
      ctx.tx.insert(assetPredictions).values({
        tenantId: a.tenantId,
        id: newId("prediction", at),
        assetId: id[key] ?? "",
        task: "rul",
        modelVersionId: versionId,
        dataTime: new Date(at),
        rul,
        rulLow: low,
        rulHigh: high,
        source: "online",
      }),
    );
  }

  async function alert(key: string, kind: "rul_low" | "anomaly", status: "open" | "acknowledged" | "resolved" = "open") {
    const alertId = newId("alert");
    await asOwner(api, a, (ctx) =>
      ctx.tx.insert(alerts).values({
        tenantId: a.tenantId,
        id: alertId,
        assetId: id[key] ?? "",
        kind,
        status,
        value: 1,
        threshold: 30,
        predictionId: newId("prediction"),
        explanation: { summary: "seeded" },
      }),
    );
    return alertId;
  }

  const page = (vars: Vars, token = a.token) => gqlOk(api, g.FleetPageDocument, vars, token).then((d) => d.fleetOverview);
  const keys = (nodes: readonly Node[]) => nodes.map((n) => Object.keys(id).find((k) => id[k] === n.assetId) ?? n.assetId);

  /** Every page of `size` under these arguments, checking that no asset comes twice. */
  async function walk(vars: Vars, size: number): Promise<Node[]> {
    const out: Node[] = [];
    let after: string | null = null;
    for (let n = 0; n < 20; n++) {
      const p = await page({ ...vars, first: size, after });
      out.push(...p.edges.map((e) => e.node));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    assert.equal(new Set(out.map((n) => n.assetId)).size, out.length, "no asset twice");
    return out;
  }

  before(async () => {
    api = await startApi(testConfig());
    a = await newPaidTenant(api, "Fleet Works");
    b = await newTenant(api, "Other Fleet");
    const { createAssetType } = await gqlOk(
      api,
      g.CreateAssetTypeDocument,
      { input: { key: "press", name: "Press", sensors: [{ key: "s1", unit: "" }] } },
      a.token,
    );
    typeId = createAssetType.id;
    await createAsset("site", "site-north", "Plant North");
    await createAsset("m1", "m-1", "Press 100% duty", "site");
    await createAsset("m2", "m_2", "Lathe", "site");
    await createAsset("c1", "c-1", "Spindle bearing", "m2");
    await createAsset("c2", "c-2", "Motor", "m2");
    await createAsset("c3", "c-3", "motor fan", "m1");
    await createAsset("c4", "gearbox-100pct", "Gearbox", "m1");
    ({
      version: { id: versionId },
    } = await registerTestVersion(api, a, { assetTypeId: typeId, runId: newId("trainingRun"), rmse: 10 }));
    await predict("m1", 5, 1, 9, Date.now() - 60_000); // an older prediction: the latest counts
    await predict("m1", 80, 70, 90);
    await predict("m2", 20, 10, 30);
    await predict("c1", 45, 25, 60);
    await predict("c3", 80, 75, 85);
    await alert("m2", "rul_low");
    await alert("m2", "anomaly", "acknowledged");
    await alert("c2", "anomaly");
    await alert("c3", "rul_low", "resolved");
    await asOwner(api, a, (ctx) => ctx.tx.insert(alertRules).values({ tenantId: a.tenantId, assetTypeId: typeId, rulBelow: 30 }));
    // Deliveries a microsecond apart (c3 after site, within one millisecond) and a tie (m1 and c4).
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const base = hour.getTime() + 1000;
    const rows = [
      ["site", base + 1, 10],
      ["c3", base + 1, 20],
      ["m1", base, 30],
      ["c4", base, 40],
    ] as const;
    await asOwner(api, a, async (ctx) => {
      for (const [key, ms, points] of rows) {
        seen[key] = new Date(ms);
        await ctx.tx.insert(assetActivity).values({ tenantId: a.tenantId, assetId: id[key] ?? "", hour, points, lastSeenAt: new Date(ms) });
      }
      await ctx.tx.execute(
        sql`update asset_activity set last_seen_at = last_seen_at + interval '1 microsecond' where tenant_id = ${a.tenantId} and asset_id = ${id.c3}`,
      );
    });
  });
  after(async () => {
    await api?.close();
  });

  const byId = (x: string, y: string) => ((id[x] ?? "") < (id[y] ?? "") ? [x, y] : [y, x]);

  it("sorts by remaining life by default, lowest first and never-scored assets last", async () => {
    const nodes = (await page({ first: 100 })).edges.map((e) => e.node);
    assert.deepEqual(keys(nodes), ["m2", "c1", ...byId("m1", "c3"), "site", "c2", "c4"]);
    const m1 = nodes.find((n) => n.assetId === id.m1);
    assert.deepEqual(m1?.remainingLife && [m1.remainingLife.rul, m1.remainingLife.low, m1.remainingLife.high], [80, 70, 90]);
    assert.equal(m1?.remainingLife?.modelVersionId, versionId);
    assert.equal(nodes.find((n) => n.assetId === id.site)?.remainingLife, null);
  });

  it("derives health from the worst unresolved alert and the latest prediction", async () => {
    const nodes = (await page({ first: 100, sort: "HEALTH" })).edges.map((e) => e.node);
    assert.deepEqual(
      nodes.map((n) => [keys([n])[0], n.health, n.worstAlert?.kind ?? null]),
      [
        ["m2", "CRITICAL", "rul_low"],
        ["c1", "WATCH", null],
        ["c2", "WATCH", "anomaly"],
        ...byId("m1", "c3").map((k) => [k, "OK", null]),
        ...byId("site", "c4").map((k) => [k, "UNKNOWN", null]),
      ],
    );
  });

  it("gives each asset its place in the tree", async () => {
    const nodes = (await page({ first: 100, sort: "NAME" })).edges.map((e) => e.node);
    assert.deepEqual(keys(nodes), ["c4", "m2", "c2", "c3", "site", "m1", "c1"]);
    const c1 = nodes.find((n) => n.assetId === id.c1);
    assert.deepEqual([c1?.parentId, c1?.depth, c1?.ancestors.map((x) => x.name)], [id.m2, 2, ["Plant North", "Lathe"]]);
    const site = nodes.find((n) => n.assetId === id.site);
    assert.deepEqual([site?.parentId, site?.depth, site?.ancestors, site?.childCount], [null, 0, [], 2]);
    assert.deepEqual(keys((await page({ first: 100, parentId: id.m2 ?? "" })).edges.map((e) => e.node)), ["c1", "c2"]);
  });

  it("sorts by last delivery, newest first and never-delivered last, and counts the day's points", async () => {
    const nodes = (await page({ first: 100, sort: "LAST_SEEN_DESC" })).edges.map((e) => e.node);
    const never = ["m2", "c1", "c2"].sort((x, y) => ((id[x] ?? "") < (id[y] ?? "") ? -1 : 1));
    assert.deepEqual(keys(nodes), ["c3", "site", ...byId("m1", "c4"), ...never]);
    assert.deepEqual(
      nodes.slice(0, 4).map((n) => [n.lastSeenAt, n.pointsLastDay]),
      keys(nodes.slice(0, 4)).map((k) => [seen[k]?.toISOString(), { site: 10, c3: 20, m1: 30, c4: 40 }[k as "site"]]),
    );
  });

  it("pages through every sort without gaps or duplicates", async () => {
    for (const sort of ["REMAINING_LIFE_ASC", "NAME", "LAST_SEEN_DESC", "HEALTH"] as const) {
      const whole = keys((await page({ first: 100, sort })).edges.map((e) => e.node));
      for (const size of [1, 2, 3]) {
        assert.deepEqual(keys(await walk({ sort }, size)), whole, `${sort} by ${size}`);
      }
    }
    const watch = keys(await walk({ sort: "NAME", health: ["WATCH", "OK"] }, 1));
    assert.deepEqual(watch, ["c2", "c3", "m1", "c1"]);
  });

  it("searches names and external ids, case-insensitively, with % and _ taken literally", async () => {
    const search = async (s: string) => keys((await page({ first: 100, sort: "NAME", search: s })).edges.map((e) => e.node));
    assert.deepEqual(await search("MOTOR"), ["c2", "c3"]);
    assert.deepEqual(await search("C-"), ["c2", "c3", "c1"]);
    assert.deepEqual(await search("100"), ["c4", "m1"]);
    assert.deepEqual(await search("100%"), ["m1"]);
    assert.deepEqual(await search("_"), ["m2"]);
    assert.deepEqual(await search("%"), ["m1"]);
    assert.deepEqual(await search("\\"), []);
    const nul = await gql(api, g.FleetPageDocument, { search: "a\u0000b" }, a.token);
    assert.equal(nul.errors?.[0]?.extensions?.code, "VALIDATION");
    const long = await gql(api, g.FleetPageDocument, { search: "x".repeat(101) }, a.token);
    assert.equal(long.errors?.[0]?.extensions?.code, "VALIDATION");
    assert.match(long.errors?.[0]?.message ?? "", /at most 100 characters/);
  });

  it("filters by health state and asset type", async () => {
    const of = async (vars: Vars) => keys((await page({ first: 100, ...vars })).edges.map((e) => e.node));
    assert.deepEqual(await of({ health: ["WATCH"] }), ["c1", "c2"]);
    assert.deepEqual(await of({ health: ["CRITICAL", "UNKNOWN"] }), ["m2", ...byId("site", "c4")]);
    assert.equal((await of({ assetTypeId: typeId })).length, 7);
    assert.equal((await page({ first: 1 })).totalCount, 7);
    assert.equal((await page({ first: 1, health: ["WATCH", "OK"] })).totalCount, 4);
    assert.equal((await page({ first: 1, health: ["WATCH", "OK"], search: "motor" })).totalCount, 2);
    const none = await gql(api, g.FleetPageDocument, { health: [] }, a.token);
    assert.equal(none.errors?.[0]?.extensions?.code, "VALIDATION");
  });

  it("refuses a cursor of another sort, other filters or none of ours with VALIDATION", async () => {
    const first = await page({ first: 2, sort: "NAME" });
    const cursor = first.pageInfo.endCursor ?? "";
    const code = async (vars: Vars) => {
      const r = await gql(api, g.FleetPageDocument, vars, a.token);
      return [r.errors?.[0]?.extensions?.code, r.errors?.[0]?.message ?? ""] as const;
    };
    const [sortCode, sortMessage] = await code({ after: cursor, sort: "HEALTH" });
    assert.equal(sortCode, "VALIDATION");
    assert.match(sortMessage, /sorted by NAME, not HEALTH/);
    const [filterCode, filterMessage] = await code({ after: cursor, sort: "NAME", search: "motor" });
    assert.equal(filterCode, "VALIDATION");
    assert.match(filterMessage, /other filters/);
    for (const bad of ["nonsense", `fleet1.${Buffer.from('{"s":"NAME"}').toString("base64url")}`, "fleet1.!!!"]) {
      assert.equal((await code({ after: bad, sort: "NAME" }))[0], "VALIDATION", bad);
    }
    const forged = `fleet1.${Buffer.from(JSON.stringify({ s: "REMAINING_LIFE_ASC", f: "x", k: ["1); drop"], i: "ast_1" })).toString("base64url")}`;
    assert.equal((await code({ after: forged }))[0], "VALIDATION");
  });

  it("shows another tenant nothing of this one, also when filtered by its ids", async () => {
    assert.deepEqual((await page({ first: 100 }, b.token)).edges, []);
    assert.deepEqual((await page({ first: 100, parentId: id.site ?? "" }, b.token)).edges, []);
    assert.deepEqual((await page({ first: 100, assetTypeId: typeId }, b.token)).edges, []);
    assert.deepEqual((await page({ first: 100, search: "motor" }, b.token)).edges, []);
  });
});
