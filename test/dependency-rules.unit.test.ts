import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { CONFIG, newViolations, type Violation, writeBaseline } from "../scripts/lint-deps.js";

// The repository's own dependency rules, run by the same command as `npm run lint:deps`, on a small
// tree written to a temporary folder: each rule must report the import it is there for, and only that.

const root = fileURLToPath(new URL("../../", import.meta.url));

const TREE: Record<string, string> = {
  "tsconfig.json": JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true } }),
  "src/core/ids.ts": "export const seed = 1;\n",
  "src/billing/index.ts": 'export { plan } from "./plan.js";\n',
  "src/billing/plan.ts": 'import { seed } from "../core/ids.js";\nexport const plan = seed + 1;\n',
  // Another capability reached through its index.ts: allowed.
  "src/alerts/through-index.ts": 'import { plan } from "../billing/index.js";\nexport const viaIndex = plan;\n',
  // ... and past it, into its files: refused.
  "src/alerts/deep.ts": 'import { plan } from "../billing/plan.js";\nexport const deep = plan;\n',
  // Two files importing each other, one of them for a type only: a cycle all the same.
  "src/telemetry/points.ts": 'import type { Batch } from "./batch.js";\nexport const points = (b: Batch) => b.size;\n',
  "src/telemetry/batch.ts":
    'import { points } from "./points.js";\nexport interface Batch { size: number }\nexport const count = points;\n',
  // Two capabilities each using the other through their index.ts files: a cycle of folders.
  "src/assets/index.ts": 'export { asset } from "./asset.js";\n',
  "src/assets/asset.ts": 'import { due } from "../maintenance/index.js";\nexport const asset = () => due;\n',
  "src/maintenance/index.ts": 'export { due } from "./due.js";\n',
  "src/maintenance/due.ts": 'import type { asset } from "../assets/index.js";\nexport const due: ReturnType<typeof asset> | number = 1;\n',
  // The edge: composes the rest, and is imported by none of it.
  "src/api/schema.ts": 'export const schema = "type Query";\n',
  "src/core/leak.ts": 'import { schema } from "../api/schema.js";\nexport const leak = schema;\n',
  // Workflow code: types from src/ only.
  "workflows/typed.ts": 'import type { Batch } from "../src/telemetry/batch.js";\nexport const typed = (b: Batch) => b;\n',
  "workflows/valued.ts": 'import { seed } from "../src/core/ids.js";\nexport const valued = seed;\n',
  // ... and the values of a capability's workflow-queries.ts, which itself imports types only.
  "src/mlops/workflow-queries.ts": 'import type { seed } from "../core/ids.js";\nexport const progress: typeof seed = 1;\n',
  "workflows/queried.ts": 'import { progress } from "../src/mlops/workflow-queries.js";\nexport const queried = progress;\n',
  "src/alerts/workflow-queries.ts": 'import { seed } from "../core/ids.js";\nexport const sent = seed;\n',
  // Nothing in src/ imports workflow code, not even its types.
  "src/billing/starts.ts": 'import type { typed } from "../../workflows/typed.js";\nexport type Starts = typeof typed;\n',
};

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

const summary = (found: Violation[]) => found.map((v) => `${v.severity} ${v.rule}: ${v.from} → ${v.to}`).sort();

describe("the dependency rules (npm run lint:deps)", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "pdm-deps-"));
    copyFileSync(join(root, CONFIG), join(dir, CONFIG));
    writeTree(dir, TREE);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // A cycle is reported once, at one of its imports.
  it("reports each deliberate violation as an error, and nothing else", async () => {
    assert.deepEqual(summary(await newViolations(dir)), [
      "error capability-through-index: src/alerts/deep.ts → src/billing/plan.ts",
      "error edge-not-imported: src/core/leak.ts → src/api/schema.ts",
      "error no-circular: src/assets/asset.ts → src/maintenance/index.ts",
      "error no-circular: src/telemetry/batch.ts → src/telemetry/points.ts",
      "error no-folder-cycle: src/assets → src/maintenance",
      "error no-folder-cycle: src/maintenance → src/assets",
      "error src-not-into-workflows: src/billing/starts.ts → workflows/typed.ts",
      "error workflow-queries-pure: src/alerts/workflow-queries.ts → src/core/ids.ts",
      "error workflows-see-types-only: workflows/valued.ts → src/core/ids.ts",
    ]);
  });

  it("passes what is listed as known, and fails on a violation added after", async () => {
    await writeBaseline(dir);
    assert.deepEqual(await newViolations(dir), []);
    writeTree(dir, {
      "src/alerts/deeper.ts": 'import type { plan } from "../billing/plan.js";\nexport type Deeper = typeof plan;\n',
      "src/billing/uses-alerts.ts": 'import { viaIndex } from "../alerts/through-index.js";\nexport const back = viaIndex;\n',
    });
    assert.deepEqual(summary(await newViolations(dir)), [
      "error capability-through-index: src/alerts/deeper.ts → src/billing/plan.ts",
      "error capability-through-index: src/billing/uses-alerts.ts → src/alerts/through-index.ts",
      "error no-folder-cycle: src/alerts → src/billing",
      "error no-folder-cycle: src/billing → src/alerts",
    ]);
  });
});
