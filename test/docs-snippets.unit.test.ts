import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { checkSnippet, documentSnippets, parseSnippets, REPO_ROOT } from "./support/doc-snippets.js";

describe("documentation examples: markers and parsing", () => {
  it("finds every marker problem: an unmarked command block, an unknown word, a run block of another language", () => {
    const text = ["```sh", "echo", "```", "```sh run=a later", "x", "```", "```json run=b", "{}", "```", "```python", "x", "```"].join(
      "\n",
    );
    const { problems, snippets } = parseSnippets("x.md", text);
    assert.equal(snippets.length, 4);
    assert.deepEqual(problems, [
      "x.md:1: a sh block must say run=<name>, check or norun",
      'x.md:4: unknown word "later" in the info string (run=<name>, check, norun, background)',
      "x.md:7: only sh, js, python, go and toml blocks run (this is json)",
      "x.md:10: a python block must say run=<name>, check or norun",
    ]);
  });

  it("marks every command and code block of README.md and docs/api.md, each run name once", () => {
    const { problems, snippets } = documentSnippets();
    assert.deepEqual(problems, []);
    assert.ok(snippets.filter((s) => s.mode === "run").length >= 15, "the walkthrough and the recipes run");
  });

  it("parses every Python, Go and TOML block with its language's parser, and refuses one that does not parse", () => {
    const checks = documentSnippets().snippets.filter((s) => ["go", "python", "toml"].includes(s.lang));
    assert.deepEqual([...new Set(checks.map((s) => s.lang))].sort(), ["go", "python", "toml"]);
    for (const snippet of checks) checkSnippet(snippet);
    const broken = { file: "x.md", line: 1, mode: "check", name: undefined, background: false } as const;
    assert.throws(() => checkSnippet({ ...broken, lang: "python", code: "def f(:\n" }), /python3 refused/);
    assert.throws(() => checkSnippet({ ...broken, lang: "go", code: "package main\nfunc main( {\n" }), /gofmt refused/);
    assert.throws(() => checkSnippet({ ...broken, lang: "toml", code: "[a\n" }), /python3 refused/);
  });

  it("has Telegraf configurations for both InfluxDB outputs, each sending the device token", () => {
    const configs = documentSnippets()
      .snippets.filter((s) => s.lang === "toml")
      .map((s) => JSON.parse(checkSnippet(s)) as { outputs?: Record<string, { urls?: string[]; password?: string; token?: string }[]> });
    const v1 = configs.flatMap((c) => c.outputs?.influxdb ?? []);
    const v2 = configs.flatMap((c) => c.outputs?.influxdb_v2 ?? []);
    assert.equal(v1.length, 1);
    assert.equal(v2.length, 1);
    // Telegraf's own substitution of an environment variable, as written in the file.
    const reference = "\u0024{DEVICE_TOKEN}";
    assert.equal(v1[0]?.password, reference);
    assert.equal(v2[0]?.token, reference);
    for (const output of [...v1, ...v2]) assert.deepEqual(output.urls, ["\u0024{API}"]);
  });
});

describe("./run alone", () => {
  it("lists every subcommand it dispatches, and exits 2", () => {
    const script = readFileSync(join(REPO_ROOT, "run"), "utf8");
    const dispatched = [...script.matchAll(/^\s+([a-z-]+)\) shift;/gm)].map((m) => m[1]);
    assert.ok(dispatched.length >= 5, `found ${dispatched.join(", ")}`);
    const result = spawnSync("bash", [join(REPO_ROOT, "run")], { cwd: REPO_ROOT, encoding: "utf8" });
    assert.equal(result.status, 2);
    const listed = [...result.stderr.matchAll(/^ {2}([a-z-]+)\b/gm)].map((m) => m[1]);
    for (const name of dispatched) assert.ok(listed.includes(name), `./run lists ${name}: ${result.stderr}`);
  });
});
