import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Client, Connection } from "@temporalio/client";
import { historyToJSON } from "@temporalio/common/lib/proto-utils.js";
import { parseConfig } from "../src/config.js";

/**
 * Saves the histories of recent finished workflows, one per kind of ending, to test/histories/,
 * for the replay test: a change to a workflow that would not replay them fails the suite.
 * Run after the test suite, against the same Temporal server: node dist/scripts/record-histories.js
 * [kind ...] (only those kinds when named, e.g. usage-sync-completed).
 */
const KINDS = [
  { name: "train-completed", query: "WorkflowType = 'trainModel' AND ExecutionStatus = 'Completed'" },
  { name: "train-cancelled", query: "WorkflowType = 'trainModel' AND ExecutionStatus = 'Canceled'" },
  { name: "train-failed", query: "WorkflowType = 'trainModel' AND ExecutionStatus = 'Failed'" },
  { name: "score-fleet-completed", query: "WorkflowType = 'scoreFleet' AND ExecutionStatus = 'Completed'" },
  { name: "drift-watch-completed", query: "WorkflowType = 'driftWatch' AND ExecutionStatus = 'Completed'", count: 2 },
  { name: "deliver-alert-completed", query: "WorkflowType = 'deliverAlert' AND ExecutionStatus = 'Completed'" },
  // Recorded before the page activity (two activities per tenant) and before the page activity
  // listed its page (usage-sync-page-completed): keep them, record only the newest kind.
  { name: "usage-sync-completed", query: "WorkflowType = 'syncUsage' AND ExecutionStatus = 'Completed'" },
  { name: "usage-sync-page-completed", query: "WorkflowType = 'syncUsage' AND ExecutionStatus = 'Completed'" },
  { name: "usage-sync-listed-completed", query: "WorkflowType = 'syncUsage' AND ExecutionStatus = 'Completed'" },
] as const;
const only = process.argv.slice(2);

const config = parseConfig(process.env);
const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
const folder = new URL("../../test/histories/", import.meta.url);
await mkdir(folder, { recursive: true });
try {
  for (const kind of KINDS.filter((k) => only.length === 0 || only.includes(k.name))) {
    const wanted = "count" in kind ? kind.count : 1;
    let saved = 0;
    for await (const execution of client.workflow.list({ query: kind.query })) {
      const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      const file = join(folder.pathname, `${kind.name}${saved > 0 ? `-${saved + 1}` : ""}.json`);
      await writeFile(file, `${historyToJSON(history)}\n`);
      process.stdout.write(`${kind.name}: ${execution.workflowId} → ${file}\n`);
      if (++saved >= wanted) break;
    }
    if (saved === 0) process.stdout.write(`${kind.name}: none found\n`);
  }
} finally {
  await connection.close();
}
