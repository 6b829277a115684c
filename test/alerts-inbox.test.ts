import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { applyAnomalyRule, applyRulRule } from "../src/alerts/raise.js";
import { workflowCall } from "../src/core/calls.js";
import { newId } from "../src/core/ids.js";
import * as g from "./generated/graphql.js";
import {
  type Api,
  addMember,
  codeOf,
  type GqlResult,
  gql,
  gqlOk,
  newApiKey,
  newFleet,
  newTenant,
  startApi,
  type TestTenant,
} from "./support/harness.js";

type Fleet = Awaited<ReturnType<typeof newFleet>>;
type Row = g.AlertRowFieldsFragment;

/** Lets the clock move on, so that alerts raised before and after a marker time differ in time. */
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

describe("alerts inbox: filters, rows, keyset pages, acknowledging many", () => {
  let api: Api;
  let tenant: TestTenant;
  let other: TestTenant;
  let fleet: Fleet;
  let otherFleet: Fleet;

  /** Raises alerts as a scoring run does: remaining life `rul` on `assetIds` (below 60 raises, at or above resolves). */
  const rul = (t: TestTenant, f: Fleet, assetIds: readonly string[], value: number) =>
    workflowCall(api.services, { tenantId: t.tenantId, workflowId: "wf_inbox_test" }, (ctx) =>
      applyRulRule(ctx, {
        assetTypeId: f.typeId,
        scores: assetIds.map((assetId) => ({
          assetId,
          predictionId: newId("prediction"),
          rul: value,
          low: value - 5,
          high: value + 5,
          modelVersionId: "mdv_test",
        })),
      }),
    );
  const anomaly = (t: TestTenant, f: Fleet, assetId: string) =>
    workflowCall(api.services, { tenantId: t.tenantId, workflowId: "wf_inbox_test" }, (ctx) =>
      applyAnomalyRule(ctx, {
        assetTypeId: f.typeId,
        scores: [{ assetId, predictionId: newId("prediction"), score: 9, threshold: 4, alarm: true, topSensors: [] }],
      }),
    );
  const inbox = async (variables: g.AlertsInboxQueryVariables, token = tenant.token): Promise<Row[]> =>
    (await gqlOk(api, g.AlertsInboxDocument, { first: 100, ...variables }, token)).alerts.edges.map((e) => e.node);
  const ids = (rows: readonly Row[]) => rows.map((r) => r.id);
  const asset = (f: Fleet, i: number) => f.assets[i]?.id ?? "";

  /** Alert ids by round, oldest round first. */
  const rounds: string[][] = [];
  let marker: Date;

  before(async () => {
    api = await startApi();
    tenant = await newTenant(api, "Inbox Ltd");
    other = await newTenant(api, "Other Inbox Ltd");
    fleet = await newFleet(api, tenant, { assets: 3, sensors: ["s1"] });
    otherFleet = await newFleet(api, other, { assets: 1, sensors: ["s1"] });
    for (const [t, f] of [
      [tenant, fleet],
      [other, otherFleet],
    ] as const) {
      await gqlOk(api, g.SetAlertRuleDocument, { input: { assetTypeId: f.typeId, rulBelow: 60, anomaly: true } }, t.token);
    }
    rounds.push(await rul(tenant, fleet, [asset(fleet, 0), asset(fleet, 1), asset(fleet, 2)], 10));
    rounds.push(await anomaly(tenant, fleet, asset(fleet, 0)));
    await tick();
    marker = new Date();
    await tick();
    await rul(tenant, fleet, [asset(fleet, 1)], 100); // resolves engine_2's remaining-life alert
    rounds.push(await rul(tenant, fleet, [asset(fleet, 1)], 20));
    await rul(other, otherFleet, [asset(otherFleet, 0)], 10);
  });
  after(() => api?.close());

  it("lists the tenant's alerts newest first, each row with its asset, kind, value and times", async () => {
    const all = await inbox({});
    assert.equal(all.length, 5);
    assert.deepEqual(ids(all), [...ids(all)].sort().reverse(), "newest first");
    assert.deepEqual(new Set(ids(all)), new Set(rounds.flat()), "only the tenant's own alerts");
    const newest = all[0];
    assert.equal(newest?.assetId, asset(fleet, 1));
    assert.equal(newest?.assetName, "Engine 2");
    assert.equal(newest?.assetExternalId, "engine_2");
    assert.equal(newest?.kind, "RUL_LOW");
    assert.equal(newest?.status, "OPEN");
    assert.equal(newest?.value, 20);
    assert.equal(newest?.threshold, 60);
    assert.ok(newest && new Date(newest.openedAt).getTime() > marker.getTime());
    assert.equal(newest?.acknowledgedAt, null);
    assert.equal(newest?.acknowledgedByName, null);
    const resolved = all.filter((r) => r.status === "RESOLVED");
    assert.equal(resolved.length, 1);
    assert.equal(resolved[0]?.assetExternalId, "engine_2");
    assert.ok(resolved[0]?.resolvedAt);
  });

  it("filters by kind, asset, status and raise time, combined", async () => {
    const anomalies = await inbox({ kinds: ["ANOMALY"] });
    assert.deepEqual(ids(anomalies), rounds[1]);
    assert.equal(anomalies[0]?.value, 9);
    assert.equal((await inbox({ kinds: ["RUL_LOW"] })).length, 4);
    assert.equal((await inbox({ kinds: ["RUL_LOW", "ANOMALY"] })).length, 5);

    const engine1 = await inbox({ assetId: asset(fleet, 0) });
    assert.deepEqual(new Set(engine1.map((r) => r.kind)), new Set(["RUL_LOW", "ANOMALY"]));
    assert.ok(engine1.every((r) => r.assetId === asset(fleet, 0)));
    assert.deepEqual(
      (await inbox({ assetId: asset(fleet, 0), kinds: ["ANOMALY"] })).map((r) => r.kind),
      ["ANOMALY"],
    );

    assert.equal((await inbox({ statuses: ["RESOLVED"] })).length, 1);
    assert.equal((await inbox({ statuses: ["OPEN"], assetId: asset(fleet, 1) })).length, 1);

    const since = await inbox({ raisedSince: marker.toISOString() });
    assert.deepEqual(ids(since), rounds[2]);
    const until = await inbox({ raisedUntil: marker.toISOString() });
    assert.deepEqual(new Set(ids(until)), new Set([...(rounds[0] ?? []), ...(rounds[1] ?? [])]));
    const earlier = await inbox({ raisedSince: new Date(0).toISOString(), raisedUntil: marker.toISOString(), kinds: ["RUL_LOW"] });
    assert.deepEqual(new Set(ids(earlier)), new Set(rounds[0]));
  });

  it("pages by cursor without losing or repeating alerts while new ones are raised", async () => {
    const listed = ids(await inbox({}));
    const first = await gqlOk(api, g.AlertsInboxDocument, { first: 2 }, tenant.token);
    assert.equal(first.alerts.pageInfo.hasNextPage, true);
    const seen = first.alerts.edges.map((e) => e.node.id);
    // New alerts arrive between pages: engine_3's alert is resolved and a new one raised.
    await rul(tenant, fleet, [asset(fleet, 2)], 100);
    const raised = await rul(tenant, fleet, [asset(fleet, 2)], 5);
    let after = first.alerts.pageInfo.endCursor;
    while (after) {
      const page = await gqlOk(api, g.AlertsInboxDocument, { first: 2, after }, tenant.token);
      seen.push(...page.alerts.edges.map((e) => e.node.id));
      after = page.alerts.pageInfo.hasNextPage ? page.alerts.pageInfo.endCursor : null;
    }
    assert.deepEqual(seen, listed, "the pages after the first are the list as it was");
    const now = ids(await inbox({}));
    assert.deepEqual(now, [...raised, ...listed], "the new alert is on top of a fresh first page");
    rounds.push(raised);
  });

  it("refuses bad arguments with typed codes and another tenant's asset as unknown", async () => {
    assert.equal(await codeOf(api, g.AlertsInboxDocument, { first: 0 }, tenant.token), "VALIDATION");
    assert.equal(await codeOf(api, g.AlertsInboxDocument, { first: 101 }, tenant.token), "VALIDATION");
    const notACursor = Buffer.from("k:ast_123").toString("base64url");
    const cursor = await gql(api, g.AlertsInboxDocument, { after: notACursor }, tenant.token);
    assert.equal(cursor.errors?.[0]?.extensions?.code, "VALIDATION");
    assert.equal(cursor.errors?.[0]?.extensions?.field, "after");
    const backwards = await gql(
      api,
      g.AlertsInboxDocument,
      { raisedSince: marker.toISOString(), raisedUntil: marker.toISOString() },
      tenant.token,
    );
    assert.equal(backwards.errors?.[0]?.extensions?.code, "VALIDATION");
    assert.equal(backwards.errors?.[0]?.extensions?.field, "raisedSince");
    const theirs = await gql(api, g.AlertsInboxDocument, { assetId: asset(otherFleet, 0) }, tenant.token);
    assert.equal(theirs.errors?.[0]?.extensions?.code, "NOT_FOUND");
    assert.equal(await codeOf(api, g.AlertsInboxDocument, {}, undefined), "UNAUTHENTICATED");
  });

  it("acknowledges many at once: duplicates once, acknowledged ones left as they are, each audited", async () => {
    const open = await inbox({ statuses: ["OPEN"] });
    const [a, b, c] = open;
    assert.ok(a && b && c);
    const key = await newApiKey(api, tenant, ["models:read", "models:write"]);
    const byKey = await gqlOk(api, g.AcknowledgeAlertsDocument, { ids: [c.id] }, key.secret);
    assert.equal(byKey.acknowledgeAlerts[0]?.acknowledgedBy, `api_key:${key.id}`);
    assert.equal(byKey.acknowledgeAlerts[0]?.acknowledgedByName, "key with 2 scopes");

    const { acknowledgeAlerts } = await gqlOk(api, g.AcknowledgeAlertsDocument, { ids: [a.id, b.id, a.id, c.id] }, tenant.token);
    assert.deepEqual(ids(acknowledgeAlerts), [a.id, b.id, c.id], "in the order first named, once each");
    assert.ok(acknowledgeAlerts.every((r) => r.status === "ACKNOWLEDGED" && r.acknowledgedAt));
    assert.deepEqual(
      acknowledgeAlerts.map((r) => r.acknowledgedByName),
      ["Olivia Owner", "Olivia Owner", "key with 2 scopes"],
    );
    assert.equal(acknowledgeAlerts[2]?.acknowledgedAt, byKey.acknowledgeAlerts[0]?.acknowledgedAt, "left as it was");

    const resolved = (await inbox({ statuses: ["RESOLVED"] }))[0];
    assert.ok(resolved);
    const again = await gqlOk(api, g.AcknowledgeAlertsDocument, { ids: [resolved.id, a.id] }, tenant.token);
    assert.deepEqual(
      again.acknowledgeAlerts.map((r) => r.status),
      ["RESOLVED", "ACKNOWLEDGED"],
    );

    const { auditLog } = await gqlOk(api, g.AuditLogDocument, { first: 100 }, tenant.token);
    const acks = auditLog.edges.map((e) => e.node).filter((e) => e.action === "alert.acknowledge");
    assert.deepEqual(acks.map((e) => e.targetId).sort(), [a.id, b.id, c.id].sort(), "one entry per alert acknowledged, none for the rest");
    assert.equal(acks.find((e) => e.targetId === a.id)?.actorId, tenant.ownerId);
    assert.deepEqual(acks.find((e) => e.targetId === a.id)?.data, { assetId: a.assetId });
  });

  it("acknowledges nothing when one id is unknown or another tenant's, and names it", async () => {
    const [mine] = await inbox({ statuses: ["OPEN"] });
    assert.ok(mine);
    const [theirs] = await inbox({}, other.token);
    assert.ok(theirs);
    const unknown = newId("alert");
    const strangers: string[] = [theirs.id, unknown];
    for (const stranger of strangers) {
      const refused: GqlResult<g.AcknowledgeAlertsMutation> = await gql(
        api,
        g.AcknowledgeAlertsDocument,
        { ids: [mine.id, stranger] },
        tenant.token,
      );
      assert.equal(refused.errors?.[0]?.extensions?.code, "NOT_FOUND");
      assert.equal(refused.errors?.[0]?.extensions?.id, stranger);
      assert.match(refused.errors?.[0]?.message ?? "", new RegExp(stranger));
    }
    const both = await gql(api, g.AcknowledgeAlertsDocument, { ids: [unknown, mine.id, theirs.id] }, tenant.token);
    assert.deepEqual(both.errors?.[0]?.extensions?.ids, [unknown, theirs.id]);
    assert.equal((await inbox({ statuses: ["OPEN"] })).find((r) => r.id === mine.id)?.status, "OPEN", "nothing was acknowledged");
    assert.equal((await inbox({}, other.token))[0]?.status, "OPEN", "the other tenant's alert is untouched");
  });

  it("takes 1 to 100 distinct ids", async () => {
    const empty = await gql(api, g.AcknowledgeAlertsDocument, { ids: [] }, tenant.token);
    assert.equal(empty.errors?.[0]?.extensions?.code, "VALIDATION");
    const many = Array.from({ length: 101 }, () => newId("alert"));
    const tooMany = await gql(api, g.AcknowledgeAlertsDocument, { ids: many }, tenant.token);
    assert.equal(tooMany.errors?.[0]?.extensions?.code, "VALIDATION");
    assert.equal(tooMany.errors?.[0]?.extensions?.max, 100);
    const [row] = await inbox({});
    assert.ok(row);
    const repeated = await gqlOk(api, g.AcknowledgeAlertsDocument, { ids: Array.from({ length: 150 }, () => row.id) }, tenant.token);
    assert.deepEqual(ids(repeated.acknowledgeAlerts), [row.id]);
  });

  it("lets a viewer read the inbox but not acknowledge; an engineer acknowledges", async () => {
    const viewer = await addMember(api, tenant, "VIEWER");
    const engineer = await addMember(api, tenant, "ENGINEER");
    assert.ok((await inbox({}, viewer.token)).length > 0);
    const [open] = await inbox({ statuses: ["OPEN"] });
    assert.ok(open);
    assert.equal(await codeOf(api, g.AcknowledgeAlertsDocument, { ids: [open.id] }, viewer.token), "FORBIDDEN");
    const readOnlyKey = await newApiKey(api, tenant, ["models:read"]);
    assert.equal(await codeOf(api, g.AcknowledgeAlertsDocument, { ids: [open.id] }, readOnlyKey.secret), "FORBIDDEN");
    assert.equal(await codeOf(api, g.AcknowledgeAlertsDocument, { ids: [open.id] }, undefined), "UNAUTHENTICATED");
    assert.equal((await inbox({ statuses: ["OPEN"] })).find((r) => r.id === open.id)?.status, "OPEN");
    const done = await gqlOk(api, g.AcknowledgeAlertsDocument, { ids: [open.id] }, engineer.token);
    assert.equal(done.acknowledgeAlerts[0]?.acknowledgedByName, "ENGINEER person");
  });
});
