import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate, loadCodegenConfig } from "@graphql-codegen/cli";

/**
 * npm run sdk:codegen — the SDK's typed documents (sdk/src/generated/) from schema.graphql and
 * sdk/operations/*.graphql, by sdk/codegen.yml. With --check (part of `npm run build`): writes
 * nothing, fails when an operation is not valid against schema.graphql or a committed file differs.
 * Runs as TypeScript straight from scripts/ (no build needed) and from dist/ (the tests).
 */

export const SDK_CODEGEN_CONFIG = "sdk/codegen.yml";

interface Output {
  filename: string;
  content: string;
}

/** What codegen writes for the SDK, by file (relative to `root`); throws when an operation is invalid. */
export async function sdkCodegen(root: string): Promise<Output[]> {
  const { config } = await loadCodegenConfig({ configFilePath: join(root, SDK_CODEGEN_CONFIG) });
  return (await generate({ ...config, cwd: root, silent: true }, false)) as Output[];
}

/** The generated files whose committed content differs from what codegen writes now. */
export async function staleSdkFiles(root: string): Promise<string[]> {
  const stale: string[] = [];
  for (const output of await sdkCodegen(root)) {
    let committed: string | undefined;
    try {
      committed = readFileSync(join(root, output.filename), "utf8");
    } catch {
      committed = undefined;
    }
    if (committed !== output.content) stale.push(output.filename);
  }
  return stale;
}

const causeText = (error: unknown): string => {
  const errors = (error as { errors?: unknown[] }).errors;
  if (Array.isArray(errors) && errors.length > 0) return errors.map((e) => String((e as Error).message ?? e)).join("\n");
  return error instanceof Error ? error.message : String(error);
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = fileURLToPath(new URL(import.meta.url.includes("/dist/") ? "../../" : "../", import.meta.url));
  const check = process.argv.includes("--check");
  try {
    if (check) {
      const stale = await staleSdkFiles(root);
      if (stale.length > 0) {
        process.stderr.write(
          `stale SDK code: ${stale.join(", ")} differs from schema.graphql and sdk/operations; run \`./run npm run sdk:codegen\`\n`,
        );
        process.exitCode = 1;
      }
    } else {
      for (const output of await sdkCodegen(root)) writeFileSync(join(root, output.filename), output.content);
    }
  } catch (error) {
    process.stderr.write(`the SDK's operations do not validate against schema.graphql:\n${causeText(error)}\n`);
    process.exitCode = 1;
  }
}
