import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TelemetryDocument } from "../generated/graphql.js";
import { newPaidTenant } from "./billing.js";
import { type Api, type ApiAddress, gqlOk, newApiKey, newFleet, startApi, type TestTenant } from "./harness.js";

/**
 * The real InfluxDB clients, as installed by `scripts/stack clients` (the test command exports their
 * paths): the tests run them as programs against the API, exactly as a gateway or an engineer would.
 */
const CLIENT_VARIABLES = {
  influx: "PDM_INFLUX_CLI",
  python: "PDM_CLIENTS_PYTHON",
  go: "PDM_INFLUX_GO",
  telegraf: "PDM_TELEGRAF",
} as const;

/** The path of an installed client; fails (never skips) when the setup did not run. */
export function clientPath(client: keyof typeof CLIENT_VARIABLES): string {
  const name = CLIENT_VARIABLES[client];
  const path = process.env[name];
  if (!path) throw new Error(`${name} is not set: run eval "$(./run stack clients)" first (./run test does)`);
  return path;
}

/** A file of the client programs in test/clients (the sources, not dist/). */
export const clientSource = (relative: string): string => fileURLToPath(new URL(`../../../test/clients/${relative}`, import.meta.url));

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to its end with `input` on its standard input; never throws for a non-zero exit. */
export function runProgram(command: string, args: readonly string[], input = ""): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** A scratch folder for the files a client reads (configs, import files), removed by `remove`. */
export function scratchFolder(): { path: (name: string) => string; write: (name: string, text: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "pdm-clients-"));
  return {
    path: (name) => join(dir, name),
    write: (name, text) => {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A whole second an hour ago, on a minute boundary: the first point a test writes. */
export const baseSecond = (): number => Math.floor(Date.now() / 60_000) * 60 - 3600;

export interface Row {
  readonly time: number;
  readonly [sensor: string]: number | null;
}

/**
 * What GraphQL answers for an asset's telemetry in [fromSecond, toSecond): one row per time
 * (in whole seconds), with each sensor's value.
 */
export async function readBack(
  api: ApiAddress,
  userToken: string,
  assetId: string,
  fromSecond: number,
  toSecond: number,
  sensors: readonly string[] = ["s1", "s2"],
): Promise<Row[]> {
  const { telemetry } = await gqlOk(
    api,
    TelemetryDocument,
    {
      assetId,
      from: new Date(fromSecond * 1000).toISOString(),
      to: new Date(toSecond * 1000).toISOString(),
      sensors: [...sensors],
    },
    userToken,
  );
  return telemetry.times.map((time, i) => {
    const row: Record<string, number | null> = { time: Date.parse(time) / 1000 };
    telemetry.sensors.forEach((sensor, s) => {
      row[sensor] = telemetry.values[s]?.[i] ?? null;
    });
    return row as Row;
  });
}

/** A point as the Python and Go programs read it: one JSON object a line. */
export const pointJson = (externalId: string, second: number, fields: Record<string, number>, measurement = "turbofan"): string =>
  JSON.stringify({ measurement, tags: { asset: externalId }, fields, time: second });

/** What each client's tests start from: an API, a paid tenant with one asset of two sensors and its device, and a read key. */
export interface ClientSetting {
  readonly api: Api;
  readonly t: TestTenant;
  readonly fleet: Awaited<ReturnType<typeof newFleet>>;
  readonly assetId: string;
  /** An API key with telemetry:read only, for /query. */
  readonly readKey: string;
}

export async function clientSetting(company: string): Promise<ClientSetting> {
  const api = await startApi();
  const t = await newPaidTenant(api, company);
  const fleet = await newFleet(api, t, { assets: 1, sensors: ["s1", "s2"] });
  const readKey = (await newApiKey(api, t, ["telemetry:read"])).secret;
  return { api, t, fleet, assetId: fleet.assets[0]?.id ?? "", readKey };
}
