import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import { newId } from "../src/core/ids.js";
import type { TrainRequest } from "../src/mlops/index.js";
import { TRAIN_MODEL } from "../src/mlops/index.js";
import { startWorkflow, workflowHandle } from "../src/temporal/starter.js";
import * as g from "./generated/graphql.js";
import { newPaidTenant } from "./support/billing.js";
import { type CmapssFleet, loadCmapss } from "./support/cmapss.js";
import { type Api, gql, gqlOk, newTenant, ownerUrl, startApi, type TestTenant } from "./support/harness.js";
import { type RunningWorker, spawnWorker, startWorker, temporalClient, waitFor } from "./support/worker.js";

/** Small, quick models: these tests are about the workflow, not the model's quality. */
const QUICK = { ensemble: 1, gbm: { trees: 40 }, interval: { folds: 0 } };

describe("training runs: challengers, rollback, crashes and cancellation", () => {
  let api: Api;
  let owner: postgres.Sql;
  let tenant: TestTenant;
  let fleet: CmapssFleet;

  before(async () => {
    api = await startApi();
    owner = postgres(ownerUrl(), { max: 1, onnotice: () => {} });
    tenant = await newPaidTenant(api, "Runs Ltd");
    fleet = await loadCmapss(api, tenant, { trainUnits: 30, testUnits: 5 });
  });
  after(async () => {
    await owner?.end();
    await api?.close();
  });

  /** The run as GraphQL shows it; undefined until the workflow's first step recorded it. */
  const runOf = async (id: string) => {
    const result = await gql(api, g.TrainingRunDocument, { id }, tenant.token);
    if (result.errors?.[0]?.extensions?.code === "NOT_FOUND") return undefined;
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data?.trainingRun;
  };
  const untilEnded = (id: string, timeoutMs = 10 * 60_000) =>
    waitFor(`run ${id} to end`, timeoutMs, async () => {
      const r = await runOf(id);
      return r === undefined || r.status === "RUNNING" ? undefined : r;
    });
  const versionsOfRun = async (runId: string) =>
    (
      await owner<{ n: number }[]>`select count(*)::int as n from model_versions where tenant_id = ${tenant.tenantId} and run_id = ${runId}`
    )[0]?.n;
  const trainingUsage = async (runId: string) =>
    (
      await owner<{ n: number }[]>`
        select count(*)::int as n from usage_ledger where tenant_id = ${tenant.tenantId} and idempotency_key = ${`train:${runId}`}`
    )[0]?.n;

  async function startRun(params: TrainRequest["params"]): Promise<string> {
    const runId = newId("trainingRun");
    const request: TrainRequest = {
      tenantId: tenant.tenantId,
      assetTypeId: fleet.typeId,
      task: "rul",
      trigger: "manual",
      reason: "test run",
      requestedBy: `user:${tenant.ownerId}`,
      ...(params ? { params } : {}),
    };
    const temporal = await temporalClient();
    try {
      await startWorkflow(temporal.client, TRAIN_MODEL, { workflowId: runId, args: [request] });
    } finally {
      await temporal.close();
    }
    return runId;
  }

  describe("with a worker in this process", () => {
    let worker: RunningWorker;
    before(async () => {
      worker = await startWorker(api);
    });
    after(() => worker?.close());

    it("registers a challenger that is not better without promoting it; rollback restores the champion", async () => {
      const first = await untilEnded(await startRun(QUICK));
      assert.equal(first.status, "SUCCEEDED", first.error ?? "");
      assert.equal(first.promoted, true);
      // The same recipe on the same data scores the same on the holdout: not better by the margin.
      const second = await untilEnded(await startRun(QUICK));
      assert.equal(second.status, "SUCCEEDED", second.error ?? "");
      assert.equal(second.promoted, false);
      const { models } = await gqlOk(api, g.ModelsDocument, { assetTypeId: fleet.typeId }, tenant.token);
      const model = models[0];
      assert.equal(model?.champion?.id, first.versionId);
      assert.equal(model?.challenger?.id, second.versionId);

      const promoted = await gqlOk(
        api,
        g.PromoteModelVersionDocument,
        { versionId: second.versionId ?? "", reason: "try it" },
        tenant.token,
      );
      assert.equal(promoted.promoteModelVersion.champion?.id, second.versionId);
      const rolled = await gqlOk(api, g.RollbackModelDocument, { modelId: model?.id ?? "", reason: "back" }, tenant.token);
      assert.equal(rolled.rollbackModel.champion?.id, first.versionId);
    });

    it("cancels a running training: it ends cancelled and registers nothing", async () => {
      const runId = await startRun({ ensemble: 3, gbm: { trees: 400 }, interval: { folds: 3 } });
      await waitFor("fitting to start", 120_000, async () => ((await runOf(runId))?.progress?.stage === "fitting" ? true : undefined));
      const cancelled = await gql(api, g.CancelTrainingRunDocument, { id: runId }, tenant.token);
      assert.equal(cancelled.errors, undefined, JSON.stringify(cancelled.errors));
      const ended = await untilEnded(runId, 120_000);
      assert.equal(ended.status, "CANCELLED");
      assert.equal(await versionsOfRun(runId), 0);
      assert.equal(await trainingUsage(runId), 0);
      const again = await gql(api, g.CancelTrainingRunDocument, { id: runId }, tenant.token);
      assert.equal(again.errors?.[0]?.extensions?.code, "CONFLICT");
    });

    it("refuses to train without enough failures, and says why", async () => {
      const empty = await newTenant(api, "No Failures Ltd");
      const small = await loadCmapss(api, empty, { trainUnits: 0, testUnits: 3 });
      const { trainModel } = await gqlOk(
        api,
        g.TrainModelDocument,
        { input: { assetTypeId: small.typeId, task: "RUL", reason: "too early" } },
        empty.token,
      );
      const ended = await waitFor("the run to fail", 120_000, async () => {
        const r = (await gqlOk(api, g.TrainingRunDocument, { id: trainModel.id }, empty.token)).trainingRun;
        return r.status === "RUNNING" ? undefined : r;
      });
      assert.equal(ended.status, "FAILED");
      assert.match(ended.error ?? "", /failure/);
    });
  });

  it("completes exactly once when the worker is killed while fitting", async () => {
    let first: ChildProcess | undefined = spawnWorker();
    let second: ChildProcess | undefined;
    try {
      const runId = await startRun({ ensemble: 2, gbm: { trees: 300 }, interval: { folds: 2 } });
      await waitFor("fitting to start", 120_000, async () => ((await runOf(runId))?.progress?.stage === "fitting" ? true : undefined));
      first.kill("SIGKILL");
      await new Promise((resolve) => first?.once("exit", resolve));
      first = undefined;
      second = spawnWorker();
      const ended = await untilEnded(runId);
      assert.equal(ended.status, "SUCCEEDED", ended.error ?? "");
      assert.equal(await versionsOfRun(runId), 1, "one version registered");
      assert.equal(await trainingUsage(runId), 1, "usage recorded once");
      const temporal = await temporalClient();
      try {
        const history = await workflowHandle(temporal.client, TRAIN_MODEL, runId).fetchHistory();
        const fitAttempts = (history.events ?? [])
          .filter((e) => e.activityTaskStartedEventAttributes)
          .map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 1);
        assert.ok(Math.max(...fitAttempts) >= 2, "an activity was retried on the second worker");
      } finally {
        await temporal.close();
      }
    } finally {
      first?.kill("SIGKILL");
      second?.kill("SIGTERM");
      if (second) await new Promise((resolve) => second?.once("exit", resolve));
    }
  });
});
