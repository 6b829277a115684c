import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * npm run lint:deps — the architecture's boundaries (.dependency-cruiser.cjs) on src/ and
 * workflows/, failing on any violation not listed in .dependency-cruiser-known-violations.json.
 *
 * dependency-cruiser's --ignore-known covers violations between files; it does not cover those
 * between folders (no-folder-cycle), so those are compared with the same list here.
 * Runs as TypeScript straight from scripts/ (no build needed) and from dist/ (the tests).
 */

export const CONFIG = ".dependency-cruiser.cjs";
export const BASELINE = ".dependency-cruiser-known-violations.json";
const ROOTS = ["src", "workflows"];

export interface Violation {
  rule: string;
  severity: string;
  from: string;
  to: string;
}

interface CruiseViolation {
  type?: string;
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

interface CruiseOutput {
  summary: { violations: CruiseViolation[] };
}

const DEPCRUISE = join(dirname(fileURLToPath(import.meta.resolve("dependency-cruiser"))), "../../bin/dependency-cruiser.mjs");

function runDepcruise(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEPCRUISE, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    // depcruise exits non-zero when it finds errors; the JSON on stdout is what counts.
    child.on("close", () => {
      if (/^\s*[[{]/.test(stdout)) resolve(stdout);
      else reject(new Error(`dependency-cruiser gave no result:\n${stderr}`));
    });
  });
}

const key = (v: { rule: { name: string }; from: string; to: string }) => `${v.rule.name}\n${v.from}\n${v.to}`;

/** The violations in the tree at `cwd` (its own CONFIG) that its BASELINE, if any, does not list. */
export async function newViolations(cwd: string): Promise<Violation[]> {
  const roots = ROOTS.filter((r) => existsSync(join(cwd, r)));
  const baseline = join(cwd, BASELINE);
  const known = existsSync(baseline) ? ["--ignore-known", BASELINE] : [];
  const output = JSON.parse(await runDepcruise(cwd, [...roots, "--config", CONFIG, ...known, "--output-type", "json"])) as CruiseOutput;
  const listed = new Set(existsSync(baseline) ? (JSON.parse(readFileSync(baseline, "utf8")) as CruiseViolation[]).map(key) : []);
  return output.summary.violations
    .filter((v) => v.rule.severity !== "ignore" && !listed.has(key(v)))
    .map((v) => ({ rule: v.rule.name, severity: v.rule.severity, from: v.from, to: v.to }));
}

/** Lists every violation in the tree at `cwd` as known (dependency-cruiser's baseline format). */
export async function writeBaseline(cwd: string): Promise<void> {
  const roots = ROOTS.filter((r) => existsSync(join(cwd, r)));
  const list = await runDepcruise(cwd, [...roots, "--config", CONFIG, "--output-type", "baseline"]);
  writeFileSync(join(cwd, BASELINE), list);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = fileURLToPath(new URL(import.meta.url.includes("/dist/") ? "../../" : "../", import.meta.url));
  if (process.argv.includes("--write-baseline")) {
    await writeBaseline(root);
    const listed = JSON.parse(readFileSync(join(root, BASELINE), "utf8")) as CruiseViolation[];
    const byRule = new Map<string, number>();
    for (const v of listed) byRule.set(v.rule.name, (byRule.get(v.rule.name) ?? 0) + 1);
    process.stdout.write(`wrote ${BASELINE}: ${listed.length} known violations (${[...byRule].map(([r, n]) => `${r} ${n}`).join(", ")})\n`);
    process.exit(0);
  }
  const found = await newViolations(root);
  const errors = found.filter((v) => v.severity === "error");
  for (const v of found) process.stderr.write(`${v.severity} ${v.rule}: ${v.from} → ${v.to}\n`);
  if (errors.length > 0) {
    process.stderr.write(
      `\n${errors.length} new dependency violation(s); the rules and why: ${CONFIG}. ` +
        "Fix the import; only when a violation is accepted on purpose, list it again with `./run npm run lint:deps:baseline`.\n",
    );
    process.exitCode = 1;
  } else {
    process.stdout.write(`dependency rules: no new violations (known ones: ${BASELINE})\n`);
  }
}
