import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { WorkflowBundleOption } from "@temporalio/worker";

/** The compiled workflows' entry (dist/workflows/index.js). */
export const WORKFLOWS_PATH = fileURLToPath(new URL("../../workflows/index.js", import.meta.url));
/** Where `npm run workflows:bundle` writes the prebuilt bundle. */
export const BUNDLE_PATH = fileURLToPath(new URL("../../workflow-bundle.js", import.meta.url));

/** The prebuilt bundle when there is one (production), else the workflows to bundle at start. */
export function workflowSource(): { workflowBundle: WorkflowBundleOption } | { workflowsPath: string } {
  return existsSync(BUNDLE_PATH) ? { workflowBundle: { codePath: BUNDLE_PATH } } : { workflowsPath: WORKFLOWS_PATH };
}
