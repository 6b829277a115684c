/** What a snippet's example point writes: measurement (the asset type's key), asset tag, one sensor. */
export interface SampleTarget {
  readonly measurement: string;
  readonly asset: string;
  readonly sensor: string;
  readonly valueType: "FLOAT" | "INTEGER" | "BOOLEAN";
}

/** Where and with what a device writes, as the API answered when it issued the token. */
export interface IssuedSettings {
  readonly secret: string;
  readonly mqttUsername: string;
  readonly mqttClientId: string;
  readonly mqttTopic: string;
  readonly mqttUrl: string;
  readonly mqttPrecision: string;
  readonly httpWriteUrl: string;
}

/** The comments in the snippets, in the page's language. */
export interface SnippetWords {
  readonly orgBucket: string;
  readonly sends: string;
  readonly telegrafInputs: string;
  readonly keepTime: string;
  readonly required: string;
  readonly mqtt: string;
  readonly curl: string;
}

export type SnippetKind = "node" | "python" | "telegraf" | "mosquitto" | "curl";
export const SNIPPET_KINDS: readonly SnippetKind[] = ["node", "python", "telegraf", "mosquitto", "curl"];

/** Without an asset to write for, the example line names what goes where. */
export const PLACEHOLDER_TARGET: SampleTarget = {
  measurement: "<asset type key>",
  asset: "<asset external id>",
  sensor: "<sensor>",
  valueType: "FLOAT",
};

/** org and bucket: required by the InfluxDB clients, ignored by the platform. */
const ORG = "pdm";
const BUCKET = "telemetry";
const WRITE_PATH = /\/api\/v2\/write$/;

/** The API's base URL (the InfluxDB clients and Telegraf add /api/v2/write themselves). */
export const apiBase = (httpWriteUrl: string): string => httpWriteUrl.replace(WRITE_PATH, "");

const EXAMPLE_VALUE = { FLOAT: "21.5", INTEGER: "21i", BOOLEAN: "true" } as const;
const NODE_FIELD = { FLOAT: "floatField", INTEGER: "intField", BOOLEAN: "booleanField" } as const;
const PLAIN_VALUE = { FLOAT: "21.5", INTEGER: "21", BOOLEAN: "true" } as const;
const PYTHON_VALUE = { FLOAT: "21.5", INTEGER: "21", BOOLEAN: "True" } as const;

/** Line protocol escaping: measurement (commas, spaces), tag keys and values and field keys (also =). */
const escapeMeasurement = (v: string) => v.replace(/[, ]/g, (c) => `\\${c}`);
const escapeTag = (v: string) => v.replace(/[,= ]/g, (c) => `\\${c}`);

/** The example line without its time. */
export const exampleLine = (t: SampleTarget): string =>
  `${escapeMeasurement(t.measurement)},asset=${escapeTag(t.asset)} ${escapeTag(t.sensor)}=${EXAMPLE_VALUE[t.valueType]}`;

/** A string literal for JavaScript, Python and TOML basic strings alike (JSON's escaping is valid in all three). */
const literal = (v: string) => JSON.stringify(v);
/** A word for the shell in single quotes. */
const sq = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
/** Text inside shell double quotes (so that $(date …) still runs). */
const dq = (v: string) => v.replace(/[\\$`"]/g, (c) => `\\${c}`);

/** The shell expression of "now" in a precision (ns, us, ms, s). */
function shellNow(precision: string): string {
  if (precision === "s") return "$(date +%s)";
  if (precision === "ms") return "$(date +%s%3N)";
  if (precision === "us") return "$(date +%s%6N)";
  return "$(date +%s%N)";
}

function node(s: IssuedSettings, t: SampleTarget, w: SnippetWords): string {
  return [
    'import { InfluxDB, Point } from "@influxdata/influxdb-client";',
    "",
    `// ${w.orgBucket}`,
    `const writeApi = new InfluxDB({ url: ${literal(apiBase(s.httpWriteUrl))}, token: ${literal(s.secret)} }).getWriteApi(${literal(ORG)}, ${literal(BUCKET)}, "ns");`,
    `writeApi.writePoint(new Point(${literal(t.measurement)}).tag("asset", ${literal(t.asset)}).${NODE_FIELD[t.valueType]}(${literal(t.sensor)}, ${PLAIN_VALUE[t.valueType]}));`,
    `await writeApi.close(); // ${w.sends}`,
  ].join("\n");
}

function python(s: IssuedSettings, t: SampleTarget, w: SnippetWords): string {
  return [
    "from influxdb_client import InfluxDBClient, Point",
    "from influxdb_client.client.write_api import SYNCHRONOUS",
    "",
    `# ${w.orgBucket}`,
    `with InfluxDBClient(url=${literal(apiBase(s.httpWriteUrl))}, token=${literal(s.secret)}, org=${literal(ORG)}) as client:`,
    `    point = Point(${literal(t.measurement)}).tag("asset", ${literal(t.asset)}).field(${literal(t.sensor)}, ${PYTHON_VALUE[t.valueType]})`,
    `    client.write_api(write_options=SYNCHRONOUS).write(bucket=${literal(BUCKET)}, record=point)  # ${w.sends}`,
  ].join("\n");
}

function telegraf(s: IssuedSettings, _t: SampleTarget, w: SnippetWords): string {
  return [
    `# ${w.telegrafInputs}`,
    "[agent]",
    "  omit_hostname = true",
    `  precision = "1ns"                # ${w.keepTime}`,
    "",
    "[[outputs.influxdb_v2]]",
    `  urls = [${literal(apiBase(s.httpWriteUrl))}]`,
    `  token = ${literal(s.secret)}`,
    `  organization = ${literal(ORG)}  # ${w.required}`,
    `  bucket = ${literal(BUCKET)}  # ${w.required}`,
  ].join("\n");
}

function mosquitto(s: IssuedSettings, t: SampleTarget, w: SnippetWords): string {
  return [
    `# ${w.mqtt}`,
    `mosquitto_pub -L ${sq(`${s.mqttUrl.replace(/\/+$/, "")}/${s.mqttTopic}`)} \\`,
    `  -u ${sq(s.mqttUsername)} -i ${sq(s.mqttClientId)} \\`,
    `  -P ${sq(s.secret)} -q 1 \\`,
    `  -m "${dq(exampleLine(t))} ${shellNow(s.mqttPrecision)}"`,
  ].join("\n");
}

function curl(s: IssuedSettings, t: SampleTarget, w: SnippetWords): string {
  const url = `${s.httpWriteUrl}?${new URLSearchParams({ org: ORG, bucket: BUCKET, precision: "ns" })}`;
  return [
    `# ${w.curl}`,
    `curl -sS -i ${sq(url)} \\`,
    `  -H ${sq(`Authorization: Token ${s.secret}`)} \\`,
    `  --data-binary "${dq(exampleLine(t))} ${shellNow("ns")}"`,
  ].join("\n");
}

const BUILDERS: Record<SnippetKind, (s: IssuedSettings, t: SampleTarget, w: SnippetWords) => string> = {
  node,
  python,
  telegraf,
  mosquitto,
  curl,
};

/** A ready-to-paste snippet built from the API's answer (never from values the page made up). */
export const buildSnippet = (kind: SnippetKind, settings: IssuedSettings, target: SampleTarget, words: SnippetWords): string =>
  BUILDERS[kind](settings, target, words);
