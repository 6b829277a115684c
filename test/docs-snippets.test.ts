import assert from "node:assert/strict";
import { type ChildProcess, type SpawnSyncReturns, spawn, spawnSync } from "node:child_process";
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { parseConfig } from "../src/config.js";
import { clientPath, clientSource } from "./support/clients.js";
import { documentSnippets, REPO_ROOT, type Snippet } from "./support/doc-snippets.js";
import { uniqueEmail } from "./support/harness.js";

type Env = Record<string, string>;

interface Ran {
  readonly stdout: string;
  readonly output: string;
  readonly env: Env;
}

/** A free TCP port of 127.0.0.1 for the API the walkthrough starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function parseEnv(raw: string): Env {
  const env: Env = {};
  for (const entry of raw.split("\0")) {
    const eq = entry.indexOf("=");
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

async function gqlAs(env: Env, token: string | undefined, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${env.API}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  assert.equal(body.errors, undefined, `GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data ?? {};
}

/** The asset pump-1's temperatures of the last hour, read through GraphQL as its owner. */
async function temperatures(env: Env): Promise<number[]> {
  const now = Date.now();
  const data = (await gqlAs(
    env,
    env.TOKEN,
    'query($a: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { telemetry(assetId: $a, from: $from, to: $to, sensors: ["temperature"]) { values } }',
    { a: env.ASSET_ID, from: new Date(now - 3_600_000).toISOString(), to: new Date(now + 300_000).toISOString() },
  )) as { telemetry: { values: (number | null)[][] } };
  return (data.telemetry.values[0] ?? []).filter((v): v is number => v !== null);
}

/** Waits until `fn` holds (MQTT is asynchronous: the broker hands the message to the API). */
async function eventually(what: string, fn: () => Promise<boolean>, deadlineMs = 60_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!(await fn())) {
    if (Date.now() > until) assert.fail(`${what} did not happen within ${deadlineMs / 1000} s`);
    await sleep(200);
  }
}

const json = (text: string): unknown => JSON.parse(text);

/** The value at `path` of a JSON answer (undefined where the path does not lead). */
function pick(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) current = typeof current === "object" && current !== null ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

/**
 * What each `run` example must have done, beyond exiting 0. Every run block has an entry, and every
 * entry a block: an example the docs drop, or one the test does not check, fails here.
 */
const EFFECTS: Record<string, (ran: Ran, api: { readonly child: () => ChildProcess | undefined }) => Promise<void> | void> = {
  stack: ({ env }) => {
    // Everything `npm start` and `npm run worker` read is there: the configuration parses.
    parseConfig(env);
    assert.match(env.DATABASE_ADMIN_URL ?? "", /^postgres:\/\/postgres:/);
  },
  migrate: ({ output }) => assert.match(output, /migrations applied/),
  start: async ({ env }, api) => {
    await eventually("the API answering /healthz", async () => {
      const child = api.child();
      if (child?.exitCode !== null || child?.signalCode !== null) assert.fail("`./run npm start` exited");
      return fetch(`http://127.0.0.1:${env.PORT}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
    });
  },
  api: ({ stdout, env }) => {
    assert.equal(env.API, `http://127.0.0.1:${env.PORT}`);
    assert.deepEqual(json(stdout), { status: "ok" });
  },
  gql: ({ env }) => assert.ok(env["BASH_FUNC_gql%%"], "gql is exported to the later examples"),
  "sign-up": ({ stdout }) => assert.match(String(pick(json(stdout), "data", "signUp", "message")), /sign in/),
  "sign-in": async ({ env }) => {
    const data = (await gqlAs(env, env.TOKEN, "{ tenant { name } }")) as { tenant: { name: string } };
    assert.equal(data.tenant.name, "Acme Pumps");
  },
  "asset-type": async ({ env }) => {
    const data = (await gqlAs(env, env.TOKEN, "query($id: ID!) { assetType(id: $id) { key } }", { id: env.TYPE_ID })) as {
      assetType: { key: string };
    };
    assert.equal(data.assetType.key, "pump");
  },
  asset: async ({ env }) => {
    const data = (await gqlAs(env, env.TOKEN, "query($id: ID!) { asset(id: $id) { externalId } }", { id: env.ASSET_ID })) as {
      asset: { externalId: string };
    };
    assert.equal(data.asset.externalId, "pump-1");
  },
  device: ({ env }) => {
    assert.match(env.DEVICE_TOKEN ?? "", /^pdmd_/);
    assert.match(env.MQTT_TOPIC ?? "", /^devices\/dev_\w+\/telemetry$/);
    assert.match(env.MQTT_USERNAME ?? "", /^pdmd_\w+$/);
  },
  "first-point": async ({ stdout, env }) => {
    assert.equal(stdout, "", "204 No Content");
    assert.ok((await temperatures(env)).includes(71.5));
  },
  "first-query": ({ stdout }) => {
    const table = pick(json(stdout), "data", "telemetry") as { sensors: string[]; values: number[][] };
    assert.deepEqual(table.sensors, ["temperature", "vibration"]);
    assert.deepEqual(table.values, [[71.5], [2.25]]);
  },
  "first-influxql": ({ stdout }) => {
    const series = pick(json(stdout), "results", 0, "series", 0) as { name: string; columns: string[]; values: unknown[][] };
    assert.equal(series.name, "pump");
    assert.deepEqual(series.columns, ["time", "temperature", "vibration"]);
    assert.deepEqual(
      series.values.map(([, ...values]) => values),
      [[71.5, 2.25]],
    );
  },
  "api-key": ({ stdout, env }) => {
    assert.match(env.API_KEY ?? "", /^pdm_\w+_/);
    assert.deepEqual(pick(json(stdout), "data", "assets", "edges"), [{ node: { externalId: "pump-1", name: "Pump 1" } }]);
  },
  "node-graphql": ({ stdout }) => assert.equal(stdout, "pump-1\n"),
  forbidden: ({ stdout }) => {
    const extensions = pick(json(stdout), "errors", 0, "extensions");
    assert.equal(pick(extensions, "code"), "FORBIDDEN");
    assert.equal(pick(extensions, "scope"), "assets:write");
    assert.match(String(pick(extensions, "requestId")), /^req_/);
  },
  "auth-forms": async ({ env }) => {
    const seen = await temperatures(env);
    for (const value of [60.1, 60.2, 60.3, 60.4]) assert.ok(seen.includes(value), `${value} was written`);
  },
  gzip: async ({ env }) => assert.ok((await temperatures(env)).includes(60.5)),
  "second-asset": async ({ env }) => {
    const data = (await gqlAs(env, env.TOKEN, "{ assets { edges { node { externalId } } } }")) as {
      assets: { edges: { node: { externalId: string } }[] };
    };
    assert.deepEqual(data.assets.edges.map((e) => e.node.externalId).sort(), ["pump-1", "pump-2"]);
  },
  pagination: ({ stdout }) => assert.deepEqual(stdout.trim().split("\n").sort(), ["pump-1", "pump-2"]),
  "node-client": async ({ env }) => assert.ok((await temperatures(env)).includes(72.5)),
  mqtt: async ({ env }) => eventually("the MQTT point readable through GraphQL", async () => (await temperatures(env)).includes(73.5)),
  "python-client": async ({ env }) => assert.ok((await temperatures(env)).includes(74.5)),
  "go-client": async ({ env }) => assert.ok((await temperatures(env)).includes(75.5)),
  "telegraf-input": ({ env }) => assert.match(readFileSync(env.PUMP_LINES ?? "", "utf8"), /^pump,asset=pump-1 temperature=76\.5 \d+\n$/),
  "telegraf-v1": async ({ output, env }) => {
    assert.doesNotMatch(output, /E! /);
    assert.ok((await temperatures(env)).includes(76.5));
  },
  "telegraf-next": ({ env }) => assert.match(readFileSync(env.PUMP_LINES ?? "", "utf8"), /temperature=77\.5 /),
  "telegraf-v2": async ({ output, env }) => {
    assert.doesNotMatch(output, /E! /);
    const seen = await temperatures(env);
    assert.ok(seen.includes(77.5));
    assert.ok(seen.includes(76.5), "the 1.x output's reading keeps its own time: not overwritten");
  },
  influxql: ({ stdout }) => {
    const series = pick(json(stdout), "results", 0, "series", 0) as { name: string; columns: string[]; values: [number, number][] };
    assert.equal(series.name, "pump");
    assert.deepEqual(series.columns, ["time", "temperature"]);
    const values = series.values.map(([, value]) => value);
    for (const value of [71.5, 72.5, 73.5, 74.5, 75.5, 76.5, 77.5]) assert.ok(values.includes(value), `${value} is read back`);
    assert.ok(
      series.values.every(([time]) => Number.isInteger(time) && time > 1.7e12),
      "epoch=ms times",
    );
  },
  "python-query": ({ stdout }) => assert.equal(stdout, "pump-1 77.5\n"),
  "influx-cli": ({ stdout }) => {
    assert.match(stdout, /name: measurements\n/);
    assert.match(stdout, /^pump$/m);
    assert.match(stdout, /^asset\s+pump-1$/m);
  },
  refused: ({ stdout }) => {
    assert.equal(pick(json(stdout), "code"), "invalid");
    assert.match(String(pick(json(stdout), "message")), /line 1/);
  },
  diagnostics: ({ stdout }) => {
    const node = pick(json(stdout), "data", "devices", "edges", 0, "node");
    assert.equal(pick(node, "diagnostics", "refusedBatches"), 1);
    assert.ok(Number(pick(node, "diagnostics", "acceptedBatches")) >= 8, "the walkthrough's and recipes' batches");
    assert.deepEqual(
      { ...(pick(node, "diagnostics", "lastRefusal") as object), at: undefined, message: undefined },
      { at: undefined, message: undefined, protocol: "HTTP", code: "VALIDATION", line: 1 },
    );
    assert.notEqual(pick(node, "diagnostics", "lastMqttAt"), null, "the MQTT example was seen");
    assert.match(String(pick(node, "endpoints", "mqttTopic")), /^devices\/dev_\w+\/telemetry$/);
    assert.equal(pick(node, "endpoints", "mqttPrecision"), "ns");
  },
};

/**
 * Runs one example as its language runs: sh with bash (its exports kept in `stateFile`), js with
 * Node, python with the clients' virtualenv, go with `go run` in a copy of test/clients/go's module
 * (offline: the modules are in Go's cache since `./run stack clients`), toml as a Telegraf
 * configuration gathered and flushed once.
 */
function runExample(snippet: Snippet, file: string, stateFile: string, env: Env): SpawnSyncReturns<string> {
  const options = { cwd: REPO_ROOT, env, encoding: "utf8", timeout: 300_000 } as const;
  switch (snippet.lang) {
    case "sh":
      return spawnSync("bash", ["-c", 'set -euo pipefail; source "$1"; env -0 >"$2"', "example", file, stateFile], options);
    case "js":
      return spawnSync(process.execPath, ["--input-type=module", "-e", snippet.code], options);
    case "python":
      return spawnSync(clientPath("python"), [file], options);
    case "toml":
      return spawnSync(clientPath("telegraf"), ["--once", "--config", file], options);
    case "go": {
      const module = mkdtempSync(join(tmpdir(), "pdm-docs-go-"));
      for (const name of ["go.mod", "go.sum"]) copyFileSync(clientSource(`go/${name}`), join(module, name));
      writeFileSync(join(module, "main.go"), snippet.code);
      try {
        return spawnSync("go", ["run", "."], {
          ...options,
          cwd: module,
          env: { ...env, GOPROXY: "off", GOFLAGS: "-mod=readonly", GOTOOLCHAIN: "local", CGO_ENABLED: "0" },
        });
      } finally {
        rmSync(module, { recursive: true, force: true });
      }
    }
    default:
      throw new Error(`${snippet.file}:${snippet.line}: no runner for ${snippet.lang}`);
  }
}

describe("the examples of README.md and docs/api.md, run against the local stack", () => {
  const { snippets, problems } = documentSnippets();
  const runs = snippets.filter((s): s is Snippet & { name: string } => s.mode === "run" && s.name !== undefined);
  const dir = mkdtempSync(join(tmpdir(), "pdm-docs-"));
  let env: Env = {};
  let background: ChildProcess | undefined;
  const backgroundLog = join(dir, "background.log");

  before(async () => {
    assert.deepEqual(problems, []);
    // A shell as a newcomer has it: no stack variables (the walkthrough's `eval` must bring them),
    // a port of its own, a new address to sign up with, and room for the sign-ups of repeated runs
    // from this one address.
    env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? dir,
      LANG: "C.UTF-8",
      PORT: String(await freePort()),
      EMAIL: uniqueEmail("docs"),
      AUTH_SIGN_UPS_PER_ADDRESS: "10000",
      ...(process.env.PDM_STACK_DIR ? { PDM_STACK_DIR: process.env.PDM_STACK_DIR } : {}),
    };
  });

  after(async () => {
    const child = background;
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid, "SIGTERM");
      await Promise.race([exited, sleep(15_000).then(() => child.pid !== undefined && process.kill(-child.pid, "SIGKILL"))]);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("checks the effect of every run example, and every effect has its example", () => {
    assert.deepEqual(runs.map((s) => s.name).sort(), Object.keys(EFFECTS).sort());
  });

  for (const snippet of runs) {
    it(`${snippet.file}:${snippet.line} ${snippet.name}`, async () => {
      const file = join(dir, `${snippet.name}.${snippet.lang}`);
      writeFileSync(file, snippet.code);
      const effect = EFFECTS[snippet.name];
      assert.ok(effect, `no effect check for ${snippet.name}`);
      if (snippet.background) {
        const log = openSync(backgroundLog, "a");
        background = spawn("bash", ["-c", 'set -euo pipefail; source "$1"', "example", file], {
          cwd: REPO_ROOT,
          env,
          stdio: ["ignore", log, log],
          detached: true,
        });
        closeSync(log);
        try {
          await effect({ stdout: "", output: "", env }, { child: () => background });
        } catch (error) {
          throw new Error(`${String(error)}\n${readFileSync(backgroundLog, "utf8").slice(-3000)}`);
        }
        return;
      }
      const stateFile = join(dir, "env");
      const result = runExample(snippet, file, stateFile, env);
      assert.equal(
        result.status,
        0,
        `${snippet.file}:${snippet.line} (${snippet.name}) failed:\n${result.stdout}\n${result.stderr}${result.error?.message ?? ""}`,
      );
      if (snippet.lang === "sh") env = parseEnv(readFileSync(stateFile, "utf8"));
      await effect({ stdout: result.stdout, output: `${result.stdout}${result.stderr}`, env }, { child: () => background });
    });
  }
});
