import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { historyFromJSON } from "@temporalio/common/lib/proto-utils.js";
import { bundleWorkflowCode, Worker } from "@temporalio/worker";
import { DeterminismViolationError } from "@temporalio/workflow";
import { WORKFLOWS_PATH, workflowSource } from "../src/worker/bundle.js";

const HISTORIES = new URL("../../test/histories/", import.meta.url);
const files = readdirSync(HISTORIES).filter((f) => f.endsWith(".json"));
const load = (file: string) => historyFromJSON(JSON.parse(readFileSync(new URL(file, HISTORIES), "utf8")));

/**
 * Recorded histories of every workflow (completed, cancelled, failed, with a child) replayed
 * against today's workflow code: a change that is not deterministic fails here, before a worker
 * in production meets a running workflow it can no longer continue.
 */
describe("workflow replay", () => {
  it("has histories of every workflow to replay", () => {
    for (const kind of [
      "train-completed",
      "train-cancelled",
      "train-failed",
      "score-fleet-completed",
      "drift-watch-completed",
      "deliver-alert-completed",
      "usage-sync-completed",
      "usage-sync-page-completed",
      "usage-sync-listed-completed",
    ]) {
      assert.ok(files.includes(`${kind}.json`), `test/histories/${kind}.json is missing (scripts/record-histories.ts)`);
    }
  });

  for (const file of files) {
    it(`replays ${file}`, async () => {
      await Worker.runReplayHistory(workflowSource(), load(file));
    });
  }

  it("bundles no code of src/ but the workflow queries", async () => {
    const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet });
    const fromSrc = [...new Set(code.match(/dist\/src\/[\w./-]+\.js/g))].sort();
    assert.deepEqual(fromSrc, ["dist/src/mlops/workflow-queries.js"]);
  });

  it("notices a workflow that no longer does what its history says", async () => {
    const changed = fileURLToPath(new URL("./replay/changed-workflows.js", import.meta.url));
    await assert.rejects(Worker.runReplayHistory({ workflowsPath: changed }, load("train-completed.json")), DeterminismViolationError);
  });
});
