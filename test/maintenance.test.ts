import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MaintenanceEventsDocument, RecordMaintenanceEventDocument } from "./generated/graphql.js";
import { type Api, addMember, gql, gqlOk, newApiKey, newFleet, newTenant, startApi, type TestTenant } from "./support/harness.js";

describe("maintenance events", () => {
  let api: Api;
  let tenant: TestTenant;
  let fleet: Awaited<ReturnType<typeof newFleet>>;
  const hour = 3_600_000;
  const base = Date.now() - 48 * hour;
  const at = (hours: number) => new Date(base + hours * hour).toISOString();

  before(async () => {
    api = await startApi();
    tenant = await newTenant(api, "Maintenance Ltd");
    fleet = await newFleet(api, tenant, { assets: 2 });
  });
  after(() => api.close());

  const record = (assetId: string, kind: "FAILURE" | "REPAIR" | "INSPECTION", occurredAt: string, token = tenant.token, note?: string) =>
    gql(api, RecordMaintenanceEventDocument, { input: { assetId, kind, occurredAt, ...(note ? { note } : {}) } }, token);

  it("records events and lists them newest first, by asset and kind, page by page", async () => {
    const [e1, e2] = fleet.assets.map((a) => a.id);
    assert.ok(e1 && e2);
    const recorded = [];
    for (const [assetId, kind, hours] of [
      [e1, "INSPECTION", 1],
      [e1, "FAILURE", 5],
      [e2, "FAILURE", 3],
      [e1, "REPAIR", 7],
    ] as const) {
      const result = await record(assetId, kind, at(hours), tenant.token, `${kind.toLowerCase()} at +${hours} h`);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      recorded.push(result.data?.recordMaintenanceEvent);
    }
    assert.equal(recorded[0]?.recordedBy, `user:${tenant.ownerId}`);
    assert.equal(recorded[0]?.note, "inspection at +1 h");

    const all = await gqlOk(api, MaintenanceEventsDocument, {}, tenant.token);
    assert.deepEqual(
      all.maintenanceEvents.edges.map((e) => [e.node.kind, e.node.occurredAt]),
      [
        ["REPAIR", at(7)],
        ["FAILURE", at(5)],
        ["FAILURE", at(3)],
        ["INSPECTION", at(1)],
      ],
    );

    const failuresOfE1 = await gqlOk(api, MaintenanceEventsDocument, { assetId: e1, kinds: ["FAILURE"] }, tenant.token);
    assert.deepEqual(
      failuresOfE1.maintenanceEvents.edges.map((e) => e.node.occurredAt),
      [at(5)],
    );

    const inRange = await gqlOk(api, MaintenanceEventsDocument, { from: at(3), to: at(7) }, tenant.token);
    assert.deepEqual(
      inRange.maintenanceEvents.edges.map((e) => e.node.occurredAt),
      [at(5), at(3)],
      "from is inclusive, to exclusive",
    );

    const seen: string[] = [];
    let after: string | null | undefined;
    do {
      const page = await gqlOk(api, MaintenanceEventsDocument, { first: 3, ...(after ? { after } : {}) }, tenant.token);
      seen.push(...page.maintenanceEvents.edges.map((e) => e.node.id));
      after = page.maintenanceEvents.pageInfo.hasNextPage ? page.maintenanceEvents.pageInfo.endCursor : undefined;
    } while (after);
    assert.deepEqual(
      seen,
      all.maintenanceEvents.edges.map((e) => e.node.id),
    );
  });

  it("orders events of the same time by id, and pages through them without loss", async () => {
    const other = await newTenant(api, "Same Time Ltd");
    const f = await newFleet(api, other, { assets: 1 });
    const assetId = f.assets[0]?.id ?? "";
    for (let i = 0; i < 5; i++) assert.equal((await record(assetId, "INSPECTION", at(2), other.token)).errors, undefined);
    const seen: string[] = [];
    let after: string | null | undefined;
    do {
      const page = await gqlOk(api, MaintenanceEventsDocument, { first: 2, ...(after ? { after } : {}) }, other.token);
      seen.push(...page.maintenanceEvents.edges.map((e) => e.node.id));
      after = page.maintenanceEvents.pageInfo.hasNextPage ? page.maintenanceEvents.pageInfo.endCursor : undefined;
    } while (after);
    assert.equal(new Set(seen).size, 5);
    assert.deepEqual(seen, [...seen].sort().reverse());
  });

  it("refuses future times, long notes and unknown assets with a clear error", async () => {
    const assetId = fleet.assets[0]?.id ?? "";
    const future = await record(assetId, "FAILURE", new Date(Date.now() + 24 * hour).toISOString());
    assert.equal(future.errors?.[0]?.extensions?.code, "VALIDATION");
    assert.match(future.errors?.[0]?.message ?? "", /occurredAt/);
    const long = await record(assetId, "REPAIR", at(1), tenant.token, "x".repeat(2001));
    assert.equal(long.errors?.[0]?.extensions?.code, "VALIDATION");
    assert.match(long.errors?.[0]?.message ?? "", /2,000/);
    const unknown = await record("ast_00000000000000000000000000", "REPAIR", at(1));
    assert.equal(unknown.errors?.[0]?.extensions?.code, "NOT_FOUND");
    const badCursor = await gql(api, MaintenanceEventsDocument, { after: Buffer.from("k:nonsense").toString("base64url") }, tenant.token);
    assert.equal(badCursor.errors?.[0]?.extensions?.code, "VALIDATION");
  });

  it("shows each event's asset and who recorded it, fleet-wide, in one list", async () => {
    const other = await newTenant(api, "Rows Ltd");
    const f = await newFleet(api, other, { assets: 2, sensors: ["s1"] });
    const [e1, e2] = f.assets;
    assert.ok(e1 && e2);
    const key = await newApiKey(api, other, ["assets:read", "assets:write"]);
    assert.equal((await record(e1.id, "INSPECTION", at(1), other.token, "borescope: no findings")).errors, undefined);
    const byKey = await record(e2.id, "REPAIR", at(2), key.secret);
    assert.equal(byKey.errors, undefined);
    assert.equal(byKey.data?.recordMaintenanceEvent.recordedByName, "key with 2 scopes");
    assert.equal(byKey.data?.recordMaintenanceEvent.assetExternalId, "engine_2");
    const { maintenanceEvents } = await gqlOk(api, MaintenanceEventsDocument, {}, other.token);
    assert.deepEqual(
      maintenanceEvents.edges.map((e) => [e.node.assetName, e.node.assetExternalId, e.node.kind, e.node.recordedByName, e.node.note]),
      [
        ["Engine 2", "engine_2", "REPAIR", "key with 2 scopes", ""],
        ["Engine 1", "engine_1", "INSPECTION", "Olivia Owner", "borescope: no findings"],
      ],
    );
  });

  it("answers another tenant's asset as unknown, when listing and when recording", async () => {
    const other = await newTenant(api, "Elsewhere Ltd");
    const theirs = (await newFleet(api, other, { assets: 1, sensors: ["s1"] })).assets[0]?.id ?? "";
    const listed = await gql(api, MaintenanceEventsDocument, { assetId: theirs }, tenant.token);
    assert.equal(listed.errors?.[0]?.extensions?.code, "NOT_FOUND");
    const recorded = await record(theirs, "FAILURE", at(1));
    assert.equal(recorded.errors?.[0]?.extensions?.code, "NOT_FOUND");
    assert.equal((await gqlOk(api, MaintenanceEventsDocument, {}, other.token)).maintenanceEvents.edges.length, 0);
  });

  it("lets a viewer read events but not record them", async () => {
    const viewer = await addMember(api, tenant, "VIEWER");
    const listed = await gql(api, MaintenanceEventsDocument, {}, viewer.token);
    assert.equal(listed.errors, undefined);
    assert.ok((listed.data?.maintenanceEvents.edges.length ?? 0) > 0);
    const refused = await record(fleet.assets[0]?.id ?? "", "REPAIR", at(1), viewer.token);
    assert.equal(refused.errors?.[0]?.extensions?.code, "FORBIDDEN");
  });
});
