import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { generate, loadCodegenConfig } from "@graphql-codegen/cli";
import { schemaText } from "../scripts/emit-schema.js";
import { staleSdkFiles } from "../scripts/sdk-codegen.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("committed schema and generated documents", () => {
  it("schema.graphql is what the code emits (run `./run npm run schema` after a change)", async () => {
    assert.equal(readFileSync(`${root}schema.graphql`, "utf8"), await schemaText());
  });

  it("test/generated/graphql.ts matches the schema and the documents (run `./run npm run codegen`)", async () => {
    const { config } = await loadCodegenConfig({ configFilePath: `${root}codegen.yml` });
    const outputs = (await generate({ ...config, cwd: root, silent: true }, false)) as { filename: string; content: string }[];
    const generated = outputs.find((o) => o.filename.endsWith("test/generated/graphql.ts"));
    assert.ok(generated, "codegen produced the typed documents");
    assert.equal(readFileSync(`${root}test/generated/graphql.ts`, "utf8"), generated.content);
  });

  it("sdk/src/generated/ matches the schema and sdk/operations (run `./run npm run sdk:codegen`)", async () => {
    assert.deepEqual(await staleSdkFiles(root), []);
  });
});
