import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The examples of the documentation, as fenced blocks whose info string says what the docs test
 * does with them (docs/api.md, "Examples that run"):
 *   ```sh run=<name> [background]   run with bash, in document order; ```js run=<name>: run with Node;
 *   ```python run=<name>: with the clients' Python; ```go run=<name>: `go run` in test/clients/go's
 *   module; ```toml run=<name>: a Telegraf configuration, run once by the clients' Telegraf
 *   ```python|go|toml|sh check       parsed, not run
 *   ```sh norun                      not run (the build, the demo, commands with placeholders)
 * A block of a language below without one of these is an error, so no example escapes the test.
 */
export const DOCUMENTS = ["README.md", "docs/api.md"] as const;

export const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** Languages whose blocks are commands or code: each must say how the docs test treats it. */
const CODE_LANGUAGES = new Set([
  "sh",
  "bash",
  "shell",
  "console",
  "js",
  "javascript",
  "mjs",
  "ts",
  "typescript",
  "python",
  "py",
  "go",
  "toml",
]);
const RUNNABLE = new Set(["sh", "js", "python", "go", "toml"]);
const CHECKABLE = new Set(["sh", "python", "go", "toml"]);

export type SnippetMode = "run" | "check" | "norun";

export interface Snippet {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly mode: SnippetMode | undefined;
  readonly name: string | undefined;
  readonly background: boolean;
  readonly code: string;
}

export interface Parsed {
  readonly snippets: readonly Snippet[];
  /** What is wrong with the markers, one message per block ("README.md:12: …"). */
  readonly problems: readonly string[];
}

function parseInfo(file: string, line: number, info: string, code: string): { snippet: Snippet; problems: string[] } {
  const [lang = "", ...words] = info.trim().split(/\s+/);
  const problems: string[] = [];
  const at = `${file}:${line}`;
  let mode: SnippetMode | undefined;
  let name: string | undefined;
  let background = false;
  for (const word of words) {
    const run = /^run=([a-z0-9-]+)$/.exec(word);
    if (run) {
      mode = "run";
      name = run[1];
    } else if (word === "check" || word === "norun") mode = word;
    else if (word === "background") background = true;
    else problems.push(`${at}: unknown word "${word}" in the info string (run=<name>, check, norun, background)`);
  }
  if (CODE_LANGUAGES.has(lang) && mode === undefined) problems.push(`${at}: a ${lang} block must say run=<name>, check or norun`);
  if (mode === "run" && !RUNNABLE.has(lang))
    problems.push(`${at}: only sh, js, python, go and toml blocks run (this is ${lang || "unmarked"})`);
  if (mode === "check" && !CHECKABLE.has(lang)) problems.push(`${at}: no parser for ${lang || "unmarked"} blocks (sh, python, go, toml)`);
  if (background && (mode !== "run" || lang !== "sh")) problems.push(`${at}: only a sh run block can be background`);
  return { snippet: { file, line, lang, mode, name, background, code }, problems };
}

/** The fenced blocks of one Markdown text (fences at the start of a line). */
export function parseSnippets(file: string, text: string): Parsed {
  const snippets: Snippet[] = [];
  const problems: string[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(.*)$/.exec(lines[i] ?? "");
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== "```"; i++) body.push(lines[i] ?? "");
    if (i >= lines.length) problems.push(`${file}:${start + 1}: the block is never closed`);
    const parsed = parseInfo(file, start + 1, open[1] ?? "", `${body.join("\n")}\n`);
    snippets.push(parsed.snippet);
    problems.push(...parsed.problems);
  }
  return { snippets, problems };
}

/** Every block of the documents, in the order they run (README first: its walkthrough sets the scene). */
export function documentSnippets(): Parsed {
  const snippets: Snippet[] = [];
  const problems: string[] = [];
  const names = new Map<string, string>();
  for (const file of DOCUMENTS) {
    const parsed = parseSnippets(file, readFileSync(join(REPO_ROOT, file), "utf8"));
    snippets.push(...parsed.snippets);
    problems.push(...parsed.problems);
    for (const s of parsed.snippets) {
      if (s.name === undefined) continue;
      const seen = names.get(s.name);
      if (seen) problems.push(`${s.file}:${s.line}: run=${s.name} is used at ${seen} already`);
      names.set(s.name, `${s.file}:${s.line}`);
    }
  }
  return { snippets, problems };
}

const PYTHON_PARSE = "import ast, sys; ast.parse(sys.stdin.read())";
const TOML_TO_JSON = "import json, sys, tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))";

function gofmt(): string {
  const goroot = spawnSync("go", ["env", "GOROOT"], { encoding: "utf8" });
  if (goroot.status !== 0) throw new Error(`go is needed to check Go examples: ${goroot.stderr || goroot.error?.message}`);
  return join(goroot.stdout.trim(), "bin", "gofmt");
}

/**
 * Parses a `check` block with its language's own parser; returns what the parser printed
 * (TOML: the document as JSON). Throws with the parser's message when the block does not parse.
 */
export function checkSnippet(snippet: Snippet): string {
  const [command, args] = ((): [string, string[]] => {
    switch (snippet.lang) {
      case "python":
        return ["python3", ["-c", PYTHON_PARSE]];
      case "toml":
        return ["python3", ["-c", TOML_TO_JSON]];
      case "go":
        return [gofmt(), ["-e"]];
      case "sh":
        return ["bash", ["-n"]];
      default:
        throw new Error(`${snippet.file}:${snippet.line}: no parser for ${snippet.lang}`);
    }
  })();
  const result = spawnSync(command, args, { input: snippet.code, encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(
      `${snippet.file}:${snippet.line}: ${command} refused the ${snippet.lang} example:\n${result.stderr || result.error?.message}`,
    );
  return result.stdout;
}
