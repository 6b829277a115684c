import { writeFile } from "node:fs/promises";
import { bundleWorkflowCode } from "@temporalio/worker";
import { BUNDLE_PATH, WORKFLOWS_PATH } from "../src/worker/bundle.js";

/** Prebuilds the workflow bundle, so that a worker starts without bundling (dist/workflow-bundle.js). */
const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
await writeFile(BUNDLE_PATH, code);
process.stdout.write(`wrote ${BUNDLE_PATH} (${Math.round(code.length / 1024)} KB)\n`);
