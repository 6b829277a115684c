import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type BatchOptions,
  type BatchResult,
  influxV1Precision,
  type LineTarget,
  type Precision,
  parsePrecision,
  type RefusalKind,
  type ResolveTarget,
  validateBatch,
} from "../src/telemetry/line-protocol.js";

const SENSORS = ["setting1", "setting2", "setting3", ...Array.from({ length: 21 }, (_, k) => `s${k + 1}`)];
const turbofan: LineTarget = { fields: new Set(SENSORS) };
/** Sensors with awkward names, and one per value kind test. */
const odd: LineTarget = { fields: new Set(["a b", "x,y", "k=v", "plain", "ünï", "time", 'q"uote', "v", "w"]) };

const HOUR = 3_600_000;
/** Whole hours, so every precision (down to "h") can hit the edges exactly. */
const OLDEST = 472_222 * HOUR; // 2023-11-14T22:00:00Z
const NEWEST = OLDEST + 48 * HOUR;
const NOW = OLDEST + 24 * HOUR;
const TS = "1700000000000000000"; // 2023-11-14T22:13:20Z in ns, inside the window

const CMAPSS = `turbofan,asset=engine_17 setting1=-0.0007,setting2=-0.0004,setting3=100,s1=518.67,s2=641.82,s3=1589.70,s4=1400.60,s5=14.62,s6=21.61,s7=554.36,s8=2388.06,s9=9046.19,s10=1.30,s11=47.47,s12=521.66,s13=2388.02,s14=8138.62,s15=8.4195,s16=0.03,s17=392,s18=2388,s19=100.00,s20=39.06,s21=23.419 ${TS}`;

/** Resolver: "turbofan" takes engine_* assets, "odd" takes anything, the rest is refused with a reason. */
function resolver(calls: string[] = []): ResolveTarget {
  return (measurement, asset) => {
    calls.push(`${measurement}|${asset}`);
    if (measurement === "turbofan") return asset.startsWith("engine_") ? turbofan : `asset ${JSON.stringify(asset)} is not registered`;
    if (measurement === "odd" || measurement === "my turbo,fan" || measurement === "m=x") return odd;
    return `measurement ${JSON.stringify(measurement)} is not known`;
  };
}

function options(extra: Partial<BatchOptions> = {}): BatchOptions {
  return { precision: "ns", nowMs: NOW, oldestMs: OLDEST, newestMs: NEWEST, ...extra };
}

function run(body: string, extra: Partial<BatchOptions> = {}, resolve: ResolveTarget = resolver()): BatchResult {
  return validateBatch(body, resolve, options(extra));
}

function accepts(
  body: string,
  extra: Partial<BatchOptions> = {},
  resolve?: ResolveTarget,
): { points: number; perAsset: ReadonlyMap<string, number>; untimed: number } {
  const result = run(body, extra, resolve);
  if (!result.ok) assert.fail(`expected ${JSON.stringify(body.slice(0, 200))} to pass, got line ${result.line}: ${result.reason}`);
  return result;
}

function refuses(body: string, line: number, reason: RegExp | string, extra: Partial<BatchOptions> = {}, resolve?: ResolveTarget): string {
  const result = run(body, extra, resolve);
  if (result.ok) assert.fail(`expected ${JSON.stringify(body.slice(0, 200))} to be refused`);
  assert.equal(result.line, line, `line of ${JSON.stringify(body.slice(0, 120))}: ${result.reason}`);
  if (typeof reason === "string") assert.equal(result.reason, reason);
  else assert.match(result.reason, reason);
  return result.reason;
}

/** A one-field line of the "odd" measurement with the given value for field "v". */
const oddLine = (value: string) => `odd,asset=a v=${value}`;

describe("parsePrecision and influxV1Precision", () => {
  it("maps v1 and v2 names and the default", () => {
    const cases: [string | undefined, Precision | undefined][] = [
      [undefined, "ns"],
      ["", "ns"],
      ["n", "ns"],
      ["ns", "ns"],
      ["u", "us"],
      ["us", "us"],
      ["ms", "ms"],
      ["s", "s"],
      ["m", "m"],
      ["h", "h"],
      ["x", undefined],
      ["NS", undefined],
      ["µs", undefined],
      ["d", undefined],
    ];
    for (const [input, expected] of cases) assert.equal(parsePrecision(input), expected, String(input));
  });

  it("gives the names InfluxDB 1.x understands", () => {
    const mapped = (["ns", "us", "ms", "s", "m", "h"] as const).map(influxV1Precision);
    assert.deepEqual(mapped, ["n", "u", "ms", "s", "m", "h"]);
  });
});

describe("validateBatch: valid input", () => {
  it("accepts a C-MAPSS line", () => {
    const calls: string[] = [];
    const result = accepts(CMAPSS, {}, resolver(calls));
    assert.equal(result.points, 1);
    assert.deepEqual([...result.perAsset], [["engine_17", 1]]);
    assert.equal(result.untimed, 0);
    assert.deepEqual(calls, ["turbofan|engine_17"]);
  });

  it("accepts every float, integer and boolean spelling", () => {
    const good = [
      "1",
      "-1",
      "0",
      "-0",
      "1.5",
      "-0.5",
      ".5",
      "-.5",
      "5.",
      "007",
      "1e3",
      "1E-3",
      "1.5e+10",
      "-1.e5",
      ".5e3",
      "1e-400",
      "1.7976931348623157e308",
      "9".repeat(300),
    ];
    for (const value of good) accepts(oddLine(value));
    for (const value of ["0i", "-12i", "123i", "9223372036854775807i", "-9223372036854775808i", "0009i"]) accepts(oddLine(value));
    for (const value of ["t", "T", "true", "True", "TRUE", "f", "F", "false", "False", "FALSE"]) accepts(oddLine(value));
  });

  it("accepts several fields of different kinds on one line", () => {
    assert.equal(accepts("odd,asset=a v=1.5,w=true,plain=-3i 1700000000000000000").points, 1);
  });

  it("unescapes measurement, tag values and field keys", () => {
    const calls: string[] = [];
    const result = accepts("my\\ turbo\\,fan,asset=engine\\ 1\\,a\\=b,site\\ x=a\\ b a\\ b=1,x\\,y=2,k\\=v=3,ünï=4", {}, resolver(calls));
    assert.deepEqual(calls, ["my turbo,fan|engine 1,a=b"]);
    assert.deepEqual([...result.perAsset], [["engine 1,a=b", 1]]);
  });

  it("accepts an unescaped = in a measurement name and non-ASCII names", () => {
    const calls: string[] = [];
    accepts("m=x,asset=pümpe_😀 plain=1", {}, resolver(calls));
    assert.deepEqual(calls, ["m=x|pümpe_😀"]);
  });

  it("skips comments and blank lines, with and without a final newline", () => {
    const body = `# C-MAPSS export\n\n   \n\t\n${CMAPSS}\n  # indented comment\n${CMAPSS.replace("engine_17", "engine_18")}`;
    assert.equal(accepts(body).points, 2);
    assert.equal(accepts(`${body}\n`).points, 2);
    assert.equal(accepts(`${body}\n\n\n`).points, 2);
  });

  it("accepts comments ending in \\r\\n (InfluxDB ignores them whole)", () => {
    assert.equal(accepts(`# exported on Windows\r\n${CMAPSS}`).points, 1);
  });

  it("accepts leading whitespace, extra spaces between sections and trailing spaces", () => {
    accepts(`  \t${CMAPSS}`);
    accepts(`${CMAPSS}   `);
    accepts(`${CMAPSS.replace(" setting1", "    setting1").replace(` ${TS}`, `   ${TS}`)}  \n`);
    accepts("odd,asset=a v=1   ");
    accepts("odd,asset=a v=1   \nodd,asset=a v=2");
  });

  it("accepts tags besides asset up to maxTags, in any order", () => {
    const eight = Array.from({ length: 8 }, (_, k) => `t${k}=x`).join(",");
    accepts(`odd,${eight},asset=a v=1`);
    accepts(`odd,zz=1,asset=a,aa=2 v=1`);
    accepts("odd,a=1,b=2,asset=a v=1", { maxTags: 2 });
  });

  it("counts points per asset over measurements and lines", () => {
    const body = [
      "turbofan,asset=engine_1 s1=1",
      "turbofan,asset=engine_2 s1=1",
      "odd,asset=engine_1 v=1",
      "# comment",
      "turbofan,asset=engine_1 s1=2",
      "turbofan,asset=engine_2 s1=2",
      "turbofan,asset=engine_3 s1=2",
    ].join("\n");
    const result = accepts(body);
    assert.equal(result.points, 6);
    assert.deepEqual(
      new Map(result.perAsset),
      new Map([
        ["engine_1", 3],
        ["engine_2", 2],
        ["engine_3", 1],
      ]),
    );
  });

  it("calls the resolver once per distinct (measurement, asset) pair", () => {
    const calls: string[] = [];
    const lines: string[] = [];
    for (let k = 0; k < 300; k++) lines.push(`turbofan,asset=engine_${k % 7} s1=${k}`);
    lines.push("odd,asset=engine_1 v=1", "odd,asset=engine_1 v=2");
    accepts(lines.join("\n"), {}, resolver(calls));
    assert.equal(calls.length, 8);
    assert.equal(new Set(calls).size, 8);
    assert.deepEqual(calls.slice(0, 3), ["turbofan|engine_0", "turbofan|engine_1", "turbofan|engine_2"]);
  });

  it("keeps checking field keys correctly when their order changes between lines", () => {
    accepts(
      ["turbofan,asset=engine_1 s1=1,s2=2,s3=3", "turbofan,asset=engine_1 s3=1,s1=2,s2=3", "turbofan,asset=engine_1 s10=1,s2=2,s1=3"].join(
        "\n",
      ),
    );
    refuses(["turbofan,asset=engine_1 s1=1,s2=2", "turbofan,asset=engine_1 s1=1,s2x=2"].join("\n"), 2, /field "s2x" is not a sensor/);
    // The key seen at this place last time is a prefix of this one.
    accepts(["turbofan,asset=engine_1 s1=1,s2=2", "turbofan,asset=engine_1 s10=1,s2=2", "turbofan,asset=engine_1 s1=1,s21=2"].join("\n"));
    refuses(
      ["turbofan,asset=engine_1 s1=1", "turbofan,asset=engine_1 s1\\ x=1"].join("\n"),
      2,
      'field "s1 x" is not a sensor of this asset (known: setting1, setting2, setting3, s1, s2, s3, s4, s5, s6, s7, s8, …)',
    );
    refuses(["turbofan,asset=engine_1 s1=1,s2=2", "turbofan,asset=engine_1 s1=1,s1=2"].join("\n"), 2, 'duplicate field "s1"');
  });

  it("gives each asset its own sensors", () => {
    const pump: LineTarget = { fields: new Set(["pressure"]) };
    const resolve: ResolveTarget = (_m, asset) => (asset === "pump" ? pump : turbofan);
    accepts("x,asset=pump pressure=1\nx,asset=engine s1=1", {}, resolve);
    refuses("x,asset=pump pressure=1\nx,asset=pump s1=1", 2, /field "s1" is not a sensor of this asset \(known: pressure\)/, {}, resolve);
  });
});

describe("validateBatch: refused input", () => {
  it("refuses an empty body or one with only comments", () => {
    for (const body of ["", "\n", "\n\n  \n", "# nothing\n# here"]) {
      assert.deepEqual(run(body), { ok: false, line: 0, kind: "empty", reason: "the body holds no points" });
    }
  });

  it("refuses string fields", () => {
    refuses('odd,asset=a v="hello"', 1, 'field "v" holds a string; only numbers and booleans are accepted');
    refuses('odd,asset=a v=1,w="x y"', 1, /only numbers and booleans are accepted/);
  });

  it("refuses malformed numbers and booleans, quoting them", () => {
    refuses(`turbofan,asset=engine_1 s1=12.3.4 ${TS}`, 1, 'invalid field value "12.3.4" for "s1"');
    const bad = [
      "1e",
      "1e+",
      "e5",
      ".",
      "-",
      "-.",
      "+1",
      "1_000",
      "0x10",
      "1..2",
      "NaN",
      "nan",
      "Inf",
      "inf",
      "-inf",
      "Infinity",
      "-Infinity",
      "1.5i",
      "1e3i",
      "-i",
      "1ii",
      "1iu",
      "12a",
      "1-2",
      "tRUE",
      "tru",
      "truee",
      "yes",
      "on",
      "1i2",
      "--1",
      "1e5.5",
    ];
    for (const value of bad) refuses(oddLine(value), 1, `invalid field value ${JSON.stringify(value)} for "v"`);
    for (const value of ["1e400", "-1e400", "9".repeat(400)]) refuses(oddLine(value), 1, /^float ".*" for "v" is out of range$/);
  });

  it("checks the signed 64-bit integer range", () => {
    accepts(oddLine("9223372036854775807i"));
    accepts(oddLine("-9223372036854775808i"));
    refuses(oddLine("9223372036854775808i"), 1, 'integer "9223372036854775808i" for "v" is outside the signed 64-bit range');
    refuses(oddLine("-9223372036854775809i"), 1, /outside the signed 64-bit range/);
    refuses(oddLine("10000000000000000000i"), 1, /outside the signed 64-bit range/);
    refuses(oddLine("99999999999999999999999i"), 1, /outside the signed 64-bit range/);
  });

  it("refuses unsigned integers unless allowed, then checks their range", () => {
    refuses(oddLine("5u"), 1, /unsigned integer "5u" for "v" is not supported by InfluxDB 1\.x/);
    const allow = { allowUnsigned: true };
    accepts(oddLine("0u"), allow);
    accepts(oddLine("18446744073709551615u"), allow);
    refuses(oddLine("18446744073709551616u"), 1, /outside the 64-bit range/, allow);
    refuses(oddLine("-1u"), 1, 'unsigned integer "-1u" for "v" is negative', allow);
    refuses(oddLine("1.5u"), 1, /invalid field value/, allow);
  });

  it("reports each syntax error with its physical line number", () => {
    const prefix = `# header\n\n${CMAPSS}\n   \n`; // the bad line is line 5
    const cases: [string, RegExp | string][] = [
      [",asset=engine_1 s1=1", /^missing measurement before ",asset=engine_1 s1=1"$/],
      ["turbofan,asset=engine_1", 'missing fields after "turbofan,asset=engine_1"'],
      ["turbofan,asset=engine_1   ", "missing fields"],
      ["turbofan", 'missing fields after "turbofan"'],
      ["turbofan,=x,asset=engine_1 s1=1", /^missing tag key/],
      ["turbofan,,asset=engine_1 s1=1", /^missing tag key/],
      ["turbofan,asset=engine_1, s1=1", /^missing tag key/],
      ["turbofan,asset s1=1", 'tag "asset" has no value'],
      ["turbofan,asset= s1=1", 'tag "asset" has no value'],
      ["turbofan,asset=engine_1,site s1=1", 'tag "site" has no value'],
      ["turbofan,asset=engine=1 s1=1", /contains an unescaped "=" \(write it as "\\="\)/],
      ["turbofan,asset==engine_1 s1=1", /contains an unescaped "="/],
      ["turbofan,asset=engine_1 =1", /^missing field key before "=1"$/],
      ["turbofan,asset=engine_1 s1=1,", /^missing field key/],
      ["turbofan,asset=engine_1 s1=1,,s2=2", /^missing field key/],
      ["turbofan,asset=engine_1 s1=", 'field "s1" has no value'],
      ["turbofan,asset=engine_1 s1=,s2=1", 'field "s1" has no value'],
      ["turbofan,asset=engine_1 s1", 'field "s1" has no value'],
      ["turbofan,asset=engine_1 s1=1,s2", 'field "s2" has no value'],
      ["turbofan,asset=engine_1 s1=1 12a", 'invalid timestamp "12a": expected an integer'],
      ["turbofan,asset=engine_1 s1=1 12.5", /^invalid timestamp "12\.5"/],
      ["turbofan,asset=engine_1 s1=1 -", /^invalid timestamp "-"/],
      ["turbofan,asset=engine_1 s1=1 +1", /^invalid timestamp "\+1"/],
      [`turbofan,asset=engine_1 s1=1 ${TS} 5`, 'unexpected text after the timestamp: "5"'],
      [`turbofan,asset=engine_1 s1=1 ${TS} # note`, /^unexpected text after the timestamp/],
      ["turbofan,asset=engine_1\ts1=1", /contains the control character U\+0009/],
      ["turbofan,asset=engine_1 s1=1\t", 'invalid field value "1\\t" for "s1"'],
      [`turbofan,asset=engine_1 s1=1 ${TS}\t`, /^invalid timestamp/],
      ["turbo\u0000fan,asset=engine_1 s1=1", /measurement "turbo\\u0000" contains the control character U\+0000/],
      ["turbo\u007ffan,asset=engine_1 s1=1", /measurement "turbo\\u007f" contains the control character U\+007F/],
    ];
    for (const [line, reason] of cases) {
      refuses(`${prefix}${line}\n${CMAPSS}`, 5, reason);
    }
  });

  it("refuses \\r\\n line endings, which InfluxDB 1.x does not accept, at the right line", () => {
    const crlf = /^carriage return \("\\r"\) before the line break: InfluxDB 1\.x accepts only "\\n" line endings/;
    refuses(`${CMAPSS}\r\n${CMAPSS}\r\n`, 1, crlf);
    refuses(`# ok\r\n${CMAPSS}\n${CMAPSS}\r\n`, 3, crlf);
    refuses(`${CMAPSS}\n\r\n${CMAPSS}`, 2, crlf); // a blank line that is only "\r"
    refuses(`${CMAPSS}\nodd,asset=a v=1\r\n`, 2, crlf);
    refuses(`${CMAPSS}\nodd,asset=a v=true\r`, 2, crlf);
    refuses(`${CMAPSS}\nodd,asset=a v=1 \r\n`, 2, crlf);
    refuses(`${CMAPSS}\nodd,asset=a\r\n`, 2, crlf);
    refuses(`${CMAPSS}\nodd,asset=a v=1 ${TS}  \r\n`, 2, crlf);
  });

  it("refuses bad escapes", () => {
    refuses("odd\\=x,asset=a v=1", 1, 'bad escape in measurement "odd\\=": a backslash may only precede "," or " "');
    refuses("odd,asset=a\\\\b v=1", 1, /^bad escape in value of tag "asset" "a\\\\"/);
    refuses("odd,asset=a\\b v=1", 1, /^bad escape in value of tag "asset"/);
    refuses('odd,asset=a v\\"x=1', 1, /^bad escape in field key/);
    refuses("odd,site\\x=1,asset=a v=1", 1, /^bad escape in tag key/);
    // A backslash before the line break would make InfluxDB join the two lines.
    refuses(`${CMAPSS}\nodd,asset=a\\\nodd,asset=b v=1`, 2, /^bad escape in value of tag "asset"/);
    refuses(`${CMAPSS}\nodd\\`, 2, /^bad escape in measurement/);
  });

  it("refuses double quotes in names and quotes or backslashes in comments", () => {
    refuses('od"d,asset=a v=1', 1, /measurement "od"" contains a double quote/);
    refuses('odd,asset=a" v=1', 1, /contains a double quote/);
    refuses('odd,asset=a q"uote=1', 1, /field key "q"" contains a double quote/);
    refuses(`${CMAPSS}\n# a b="c\n${CMAPSS}`, 2, /^comment "# a b="c" contains/);
    refuses(`${CMAPSS}\n# path C:\\temp\\\n${CMAPSS}`, 2, /^comment .* contains '"' or "\\"/);
  });

  it("refuses invalid Unicode in names", () => {
    refuses("odd,asset=a\ud800 v=1", 1, /contains invalid Unicode/);
    refuses("odd,asset=a\udc00b v=1", 1, /contains invalid Unicode/);
    refuses("odd,asset=a\ufffd v=1", 1, /contains invalid Unicode/);
    refuses("odd\ud83d,asset=a v=1", 1, /^measurement .* contains invalid Unicode/);
  });

  it("refuses unknown fields, listing the known ones", () => {
    const reason = refuses(
      `${CMAPSS}\n${CMAPSS}\nturbofan,asset=engine_1 s1=1,s99=2`,
      3,
      /^field "s99" is not a sensor of this asset \(known: setting1, setting2, /,
    );
    assert.ok(reason.endsWith(", …)"), reason);
    refuses("odd,asset=a v=1,nope\\ x=2", 1, /^field "nope x" is not a sensor of this asset \(known: a b, x,y, k=v, plain/);
  });

  it("refuses unknown assets and measurements with the resolver's reason", () => {
    refuses(`${CMAPSS}\n\nturbofan,asset=pump_1 s1=1`, 3, 'asset "pump_1" is not registered');
    refuses(`${CMAPSS}\nboiler,asset=b1 s1=1`, 2, 'measurement "boiler" is not known');
  });

  it("refuses a missing or duplicate asset tag and other duplicate tags", () => {
    refuses(`${CMAPSS}\nturbofan,site=x s1=1`, 2, 'tag "asset" is missing');
    refuses("turbofan s1=1", 1, 'tag "asset" is missing');
    refuses("turbofan,asset=engine_1,asset=engine_2 s1=1", 1, 'duplicate tag "asset"');
    refuses("turbofan,site=a,asset=engine_1,site=b s1=1", 1, 'duplicate tag "site"');
    refuses("turbofan,a\\ b=1,asset=engine_1,a\\ b=2 s1=1", 1, 'duplicate tag "a\\ b"');
  });

  it("refuses more tags than maxTags besides asset", () => {
    const nine = Array.from({ length: 9 }, (_, k) => `t${k}=x`).join(",");
    refuses(`odd,${nine},asset=a v=1`, 1, 'too many tags: at most 8 besides "asset" are accepted');
    refuses(`odd,asset=a,${nine} v=1`, 1, /too many tags/);
    refuses("odd,asset=a,site=x v=1", 1, 'too many tags: at most 0 besides "asset" are accepted', { maxTags: 0 });
    accepts("odd,asset=a v=1", { maxTags: 0 });
  });

  it("refuses duplicate fields", () => {
    refuses(`${CMAPSS}\nturbofan,asset=engine_1 s1=1,s2=2,s1=3`, 2, 'duplicate field "s1"');
    refuses("odd,asset=a x\\,y=1,x\\,y=2", 1, 'duplicate field "x,y"');
  });

  it('refuses the tag key and field key "time", which InfluxDB drops', () => {
    refuses("odd,asset=a,time=x v=1", 1, 'tag key "time" is reserved by InfluxDB');
    refuses("odd,asset=a v=1,time=2", 1, 'field key "time" is reserved by InfluxDB');
  });

  it("refuses a field that changes its type within the batch", () => {
    refuses(
      "odd,asset=a v=1\nodd,asset=b v=2i",
      2,
      'field "v" is an integer here but a float on line 1; InfluxDB keeps one type per field',
    );
    refuses("odd,asset=a v=t\n\nodd,asset=a v=1", 3, /is a float here but a boolean on line 1/);
    accepts("odd,asset=a v=1\nodd,asset=b v=2.5\nodd,asset=a w=1i\nodd,asset=a w=-1i");
    // Different measurements may use different types for the same key.
    accepts("odd,asset=a plain=1\nm=x,asset=a plain=true");
  });

  it("refuses series keys longer than InfluxDB's 65,535 bytes", () => {
    // Tags are capped far below that; a (resolvable) measurement is not.
    const anyMeasurement: ResolveTarget = () => odd;
    accepts(`${"m".repeat(65_000)},asset=a v=1`, {}, anyMeasurement);
    refuses(
      `${"m".repeat(65_600)},asset=a v=1`,
      1,
      /^series key for field "v" is 65\d{3} bytes; InfluxDB allows 65535$/,
      {},
      anyMeasurement,
    );
    // Counted in UTF-8 bytes, not characters.
    refuses(`${"é".repeat(33_000)},asset=a v=1`, 1, /^series key for field "v" is 660\d\d bytes/, {}, anyMeasurement);
  });

  it("caps tag keys at 128 and tag values at 256 characters", () => {
    accepts(`odd,asset=a,${"k".repeat(128)}=${"x".repeat(256)} v=1`);
    refuses(`odd,asset=a,site=${"x".repeat(257)} v=1`, 1, /^value of tag "site" is longer than 256 characters$/);
    refuses(`odd,asset=a,${"k".repeat(129)}=x v=1`, 1, /^tag key "k+…" is longer than 128 characters$/);
  });

  it("reports each distinct series (measurement and sorted tags) with its first line", () => {
    const result = run("odd,asset=a v=1\nodd,site=s,asset=a v=2\nodd,asset=a,site=s v=3\nodd,asset=b v=4\nodd,asset=a v=5");
    assert.ok(result.ok);
    assert.deepEqual([...result.series].sort(), [
      ["odd,asset=a", 1],
      ["odd,asset=a,site=s", 2],
      ["odd,asset=b", 4],
    ]);
  });

  it("quotes long offending parts shortened to about 60 characters", () => {
    const reason = refuses(`turbofan,asset=engine_1 ${"s".repeat(200)}=1`, 1, /^field "s+…" is not a sensor/);
    const quoted = reason.slice(reason.indexOf('"'), reason.indexOf('"', 1) + 1);
    assert.ok(quoted.length <= 62, quoted);
  });

  it("stops at the first bad line", () => {
    refuses(`${CMAPSS}\nturbofan,asset=engine_1 s1=x\nturbofan s1=1`, 2, /invalid field value "x"/);
  });
});

describe("validateBatch: timestamps", () => {
  /** The same instant written in each precision, as integers of that unit. */
  const inUnits = (ms: number, precision: Precision): bigint => {
    const perUnit: Record<Precision, bigint> = { ns: -1n, us: -2n, ms: 1n, s: 1000n, m: 60_000n, h: 3_600_000n };
    if (precision === "ns") return BigInt(ms) * 1_000_000n;
    if (precision === "us") return BigInt(ms) * 1000n;
    return BigInt(ms) / perUnit[precision];
  };
  const line = (ts: bigint | string) => `turbofan,asset=engine_1 s1=1 ${ts}`;

  for (const precision of ["ns", "us", "ms", "s", "m", "h"] as const) {
    it(`accepts the edges of the window and refuses one ${precision} beyond, at precision ${precision}`, () => {
      const first = inUnits(OLDEST, precision);
      const last = inUnits(NEWEST, precision);
      accepts(line(first), { precision });
      accepts(line(last), { precision });
      accepts(line(inUnits(NOW, precision)), { precision });
      refuses(
        `${line(inUnits(NOW, precision))}\n${line(first - 1n)}`,
        2,
        /is older than the retention period \(oldest accepted: 2023-11-14T22:00:00Z;/,
        { precision },
      );
      refuses(
        `${line(inUnits(NOW, precision))}\n${line(last + 1n)}`,
        2,
        /is too far in the future \(newest accepted: 2023-11-16T22:00:00Z;/,
        { precision },
      );
    });
  }

  it("shows the refused time as ISO text with its raw value", () => {
    refuses(
      "turbofan,asset=engine_1 s1=1 1000000000",
      1,
      'timestamp 2001-09-09T01:46:40Z is older than the retention period (oldest accepted: 2023-11-14T22:00:00Z; raw "1000000000" at precision s)',
      { precision: "s" },
    );
    refuses(line(`${BigInt(NEWEST) * 1_000_000n + 1n}`), 1, /^timestamp 2023-11-16T22:00:00\.000000001Z is too far in the future/);
    refuses(line(`${BigInt(OLDEST) * 1000n - 1n}`), 1, /^timestamp 2023-11-14T21:59:59\.999999Z is older/, { precision: "us" });
  });

  it("handles negative timestamps exactly", () => {
    const window = { oldestMs: -1000, newestMs: 1000, nowMs: 0 };
    accepts(line("-1000000000"), window);
    accepts(line("-999999999"), window);
    accepts(line("-0"), window);
    accepts(line("1000000000"), window);
    refuses(line("-1000000001"), 1, /^timestamp 1969-12-31T23:59:58\.999999999Z is older/, window);
    refuses(line("1000000001"), 1, /too far in the future/, window);
    accepts(line("-1000"), { ...window, precision: "ms" });
    refuses(line("-1001"), 1, /older/, { ...window, precision: "ms" });
    refuses(line("-2"), 1, /older/, { ...window, precision: "s" });
  });

  it("uses the server time for a point without a timestamp, and counts such points", () => {
    assert.equal(accepts("turbofan,asset=engine_1 s1=1").untimed, 1);
    assert.equal(accepts(`turbofan,asset=engine_1 s1=1\n${CMAPSS}\nturbofan,asset=engine_1 s1=2   \n${CMAPSS}`).untimed, 2);
    refuses("turbofan,asset=engine_1 s1=1", 1, /no timestamp and the server time .* is outside the accepted time window/, {
      nowMs: NEWEST + 1,
    });
    accepts("turbofan,asset=engine_1 s1=1", { nowMs: NEWEST });
  });

  it("refuses timestamps outside the signed 64-bit range and outside what InfluxDB stores", () => {
    for (const ts of ["9223372036854775808", "-9223372036854775809", "10000000000000000000", "123456789012345678901234"]) {
      refuses(line(ts), 1, `timestamp "${ts}" is outside the signed 64-bit range`);
    }
    const open = { oldestMs: Number.NEGATIVE_INFINITY, newestMs: Number.POSITIVE_INFINITY };
    accepts(line("9223372036852999999"), open);
    refuses(line("9223372036854775806"), 1, /^timestamp 2262-04-11T23:47:16\.854775806Z is after the latest time InfluxDB can store/, open);
    refuses(line("-9223372036854775806"), 1, /is before the earliest time InfluxDB can store/, open);
    // InfluxDB refuses 2562048 h (beyond 2262) and accepts 2562047 h.
    accepts(line("2562047"), { ...open, precision: "h" });
    refuses(line("2562048"), 1, /after the latest time InfluxDB can store/, { ...open, precision: "h" });
    refuses(line("9000000000000000000"), 1, /^timestamp "9000000000000000000" is after the latest time/, { ...open, precision: "h" });
  });

  it("accepts leading zeros only up to 19 digits", () => {
    accepts(line(`000${TS.slice(0, 16)}`), { precision: "us" });
    refuses(line(`0${TS}`), 1, /outside the signed 64-bit range/);
  });
});

describe("validateBatch: options", () => {
  it("rejects impossible options", () => {
    assert.throws(() => run(CMAPSS, { maxTags: -1 }), RangeError);
    assert.throws(() => run(CMAPSS, { maxTags: 1.5 }), RangeError);
    assert.throws(() => run(CMAPSS, { oldestMs: Number.NaN }), RangeError);
    assert.throws(() => run(CMAPSS, { precision: "d" as Precision }), RangeError);
  });

  it("does not share state between batches", () => {
    const calls: string[] = [];
    const resolve = resolver(calls);
    accepts("odd,asset=a v=1", {}, resolve);
    accepts("odd,asset=a v=1i", {}, resolve); // a new batch may use another type
    assert.equal(calls.length, 2);
  });
});

describe("validateBatch: refusal kinds", () => {
  const anyMeasurement: ResolveTarget = () => odd;
  const floatsOnly: LineTarget = { fields: new Set(["v"]), types: new Map([["v", "float"]]) };
  interface Case {
    readonly body: string;
    readonly line: number;
    readonly extra?: Partial<BatchOptions>;
    readonly resolve?: ResolveTarget;
  }
  /** Every kind with the refusals of that class; a Record, so a new kind does not compile without its cases. */
  const cases: Record<RefusalKind, readonly Case[]> = {
    syntax: [
      { body: "turbofan,asset=engine_1 s1=abc", line: 1 },
      { body: "turbofan,asset=engine_1 s1=1\r\n", line: 1 },
      { body: "turbofan\\x,asset=engine_1 s1=1", line: 1 },
      { body: 'odd,asset=a"b v=1', line: 1 },
      { body: ",asset=engine_1 s1=1", line: 1 },
      { body: "turbofan,asset=engine_1", line: 1 },
      { body: "turbofan,asset=engine_1 s1=1 12x", line: 1 },
      { body: `turbofan,asset=engine_1 s1=1 ${TS} extra`, line: 1 },
      { body: '# a "quoted" comment', line: 1 },
    ],
    tag: [
      { body: "turbofan s1=1", line: 1 },
      { body: "turbofan,asset=engine_1,asset=engine_2 s1=1", line: 1 },
      { body: "turbofan,site=a,asset=engine_1,site=b s1=1", line: 1 },
      { body: "odd,asset=a,time=x v=1", line: 1 },
    ],
    field: [
      { body: "odd,asset=a nope=1", line: 1 },
      { body: "odd,asset=a v=1,v=2", line: 1 },
      { body: "odd,asset=a v=1,time=2", line: 1 },
    ],
    "field-type": [
      { body: 'odd,asset=a v="text"', line: 1 },
      { body: "odd,asset=a v=1u", line: 1 },
      { body: "odd,asset=a v=1\nodd,asset=a v=1i", line: 2 },
      { body: "odd,asset=a v=1i", line: 1, resolve: () => floatsOnly },
    ],
    "value-range": [
      { body: "odd,asset=a v=9223372036854775808i", line: 1 },
      { body: "odd,asset=a v=1e999", line: 1 },
      { body: "odd,asset=a v=-1u", line: 1, extra: { allowUnsigned: true } },
      { body: "odd,asset=a v=18446744073709551616u", line: 1, extra: { allowUnsigned: true } },
    ],
    timestamp: [
      { body: "turbofan,asset=engine_1 s1=1 0", line: 1 },
      { body: `turbofan,asset=engine_1 s1=1 ${BigInt(NEWEST + HOUR) * 1_000_000n}`, line: 1 },
      { body: "turbofan,asset=engine_1 s1=1 9223372036854775808", line: 1 },
      { body: "turbofan,asset=engine_1 s1=1", line: 1, extra: { nowMs: NEWEST + HOUR } },
    ],
    "too-large": [
      { body: `odd,asset=a,${"k".repeat(129)}=x v=1`, line: 1 },
      { body: `odd,asset=a,site=${"x".repeat(257)} v=1`, line: 1 },
      { body: "odd,asset=a,site=x v=1", line: 1, extra: { maxTags: 0 } },
      { body: `${"m".repeat(70_000)},asset=a v=1`, line: 1, resolve: anyMeasurement },
    ],
    empty: [
      { body: "", line: 0 },
      { body: "# only a comment\n\n", line: 0 },
    ],
    "unknown-asset": [
      {
        body: `${CMAPSS}\nturbofan,asset=nobody s1=1`,
        line: 2,
        resolve: (_measurement, asset) => (asset.startsWith("engine_") ? turbofan : { kind: "unknown-asset", reason: "who?" }),
      },
    ],
    target: [
      { body: "turbofan,asset=pump_1 s1=1", line: 1 },
      { body: "boiler,asset=b1 s1=1", line: 1 },
      { body: "turbofan,asset=engine_1 s1=1", line: 1, resolve: () => ({ kind: "target", reason: "not this one" }) },
    ],
  };

  for (const [kind, list] of Object.entries(cases)) {
    it(`gives the kind "${kind}" to the refusals of its class`, () => {
      for (const { body, line, extra, resolve } of list) {
        const result = run(body, extra, resolve);
        if (result.ok) assert.fail(`expected ${JSON.stringify(body.slice(0, 80))} to be refused`);
        assert.equal(result.kind, kind, `${JSON.stringify(body.slice(0, 80))}: ${result.reason}`);
        assert.equal(result.line, line, result.reason);
      }
    });
  }

  it("passes the resolver's kind and reason through unchanged", () => {
    const result = run("turbofan,asset=x s1=1", {}, () => ({ kind: "unknown-asset", reason: 'unknown asset "x"' }));
    assert.deepEqual(result, { ok: false, line: 1, kind: "unknown-asset", reason: 'unknown asset "x"' });
  });
});

describe("validateBatch: interleaved validations", () => {
  it("keeps a validation started from within another one's resolver apart from it", () => {
    // The resolver of the outer batch validates another batch of the same sensors on the outer batch's line.
    const inner: BatchResult[] = [];
    const resolve: ResolveTarget = (measurement, asset) => {
      if (asset === "engine_2") inner.push(validateBatch(`\nturbofan,asset=engine_9 s1=1,s2=2 ${TS}`, () => turbofan, options()));
      return resolver()(measurement, asset);
    };
    const outer = accepts(`turbofan,asset=engine_1 s1=1 ${TS}\nturbofan,asset=engine_2 s2=2,s1=1 ${TS}`, {}, resolve);
    assert.equal(outer.points, 2);
    assert.equal(inner.length, 1);
    assert.equal(inner[0]?.ok, true);
  });

  it("is not disturbed by a refused validation within its resolver", () => {
    const inner: BatchResult[] = [];
    const resolve: ResolveTarget = (measurement, asset) => {
      if (asset === "engine_3") inner.push(validateBatch(`\n\nturbofan,asset=engine_9 s1=1,s1=2 ${TS}`, () => turbofan, options()));
      return resolver()(measurement, asset);
    };
    const lines = [1, 2, 3].map((k) => `turbofan,asset=engine_${k} s1=1 ${TS}`);
    assert.equal(accepts(lines.join("\n"), {}, resolve).points, 3);
    const refused = inner[0];
    assert.ok(refused !== undefined && !refused.ok);
    assert.deepEqual([refused.line, refused.reason], [3, 'duplicate field "s1"']);
  });
});
