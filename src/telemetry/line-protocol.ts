/**
 * Validation of InfluxDB line protocol batches before they are forwarded, unchanged, to InfluxDB 1.6.
 *
 * InfluxDB 1.x writes the good lines of a batch and drops the bad ones ("partial write"), so a batch must be
 * checked as a whole first. The validator is deliberately at least as strict as the server's parser: every
 * line it accepts is accepted by InfluxDB 1.6, and it refuses some odd but legal spellings (listed below).
 *
 * Grammar accepted here, per physical line (lines end with "\n"):
 *
 *   [spaces/tabs] measurement[,tagKey=tagValue...] SP+ fieldKey=value[,fieldKey=value...] [SP+ timestamp] [SP*]
 *
 * - blank lines (spaces/tabs only) and comment lines (first non-blank character "#") are skipped;
 * - measurement: escapes "\," and "\ "; tag keys, tag values and field keys: escapes "\,", "\=" and "\ ";
 * - values: float (`-1.5`, `.5`, `5.`, `1e-3`), integer `12i` (signed 64-bit), boolean
 *   (t, T, true, True, TRUE, f, F, false, False, FALSE); unsigned `12u` only with `allowUnsigned`;
 * - timestamp: optional "-" and 1 to 19 digits, read in the batch precision.
 *
 * Stricter than InfluxDB 1.6 on purpose:
 * - "\r" outside comments is refused: InfluxDB 1.6 does not understand "\r\n" line endings (it rejects such
 *   lines as "invalid number", "bad timestamp" or "missing fields");
 * - a backslash in a name must start one of the escapes above (so "\\", "\"" and a backslash before a line
 *   break, which InfluxDB would read as a continued line, are refused); comments may not hold '"' or "\"
 *   since InfluxDB's line splitter would treat them as quoting/escaping the line break;
 * - names (measurement, tag keys and values, field keys) may not hold '"', control characters, unpaired
 *   UTF-16 surrogates or U+FFFD;
 * - an unescaped "=" anywhere in a tag value is refused (InfluxDB lets one through as the first character);
 * - tag key "time" and field key "time" are refused (InfluxDB drops those points in a partial write);
 * - string fields, unsigned values (InfluxDB 1.x OSS refuses them anyway unless `allowUnsigned`), duplicate
 *   field keys in a line, and a field written with two different types within one batch are refused;
 * - integers and timestamps with more than 19 digits (20 for unsigned) are refused even if they are only
 *   long because of leading zeros; tabs are not accepted as separators between the sections;
 * - the series key (measurement, tags and a field key) must stay within InfluxDB's 65,535 byte limit;
 * - at most `maxTags` tags besides `asset` (default 8), tag keys of at most 128 and tag values of at most 256
 *   characters (as written, escapes included); fields per point are bounded by the asset type's sensors (at
 *   most 500), each at most once.
 *
 * A valid batch also reports its distinct series (measurement + sorted tag set, as written) with the first line
 * of each, so the caller can count new series against the tenant's budget before anything is written.
 */

/** A timestamp precision. "m" (minutes) and "h" (hours) exist in the v1 write API only. */
export type Precision = "ns" | "us" | "ms" | "s" | "m" | "h";

/**
 * Maps the v1 write API's precision names ("n", "u", "ms", "s", "m", "h") and the v2 names ("ns", "us", "ms",
 * "s") to a Precision; "" and undefined mean nanoseconds. Unknown names give undefined.
 */
export function parsePrecision(value: string | undefined): Precision | undefined {
  switch (value) {
    case undefined:
    case "":
    case "n":
    case "ns":
      return "ns";
    case "u":
    case "us":
      return "us";
    case "ms":
      return "ms";
    case "s":
      return "s";
    case "m":
      return "m";
    case "h":
      return "h";
    default:
      return undefined;
  }
}

/**
 * The `precision` query value to send to InfluxDB 1.x's `/write` for a Precision. Forward this, never the
 * client's own spelling: InfluxDB 1.6 reads any name it does not know (such as the v2 name "us") as
 * nanoseconds without an error.
 */
export function influxV1Precision(precision: Precision): "n" | "u" | "ms" | "s" | "m" | "h" {
  switch (precision) {
    case "ns":
      return "n";
    case "us":
      return "u";
    default:
      return precision;
  }
}

export type FieldType = "float" | "integer" | "boolean";

export interface LineTarget {
  /** Field keys this line may carry (the asset type's sensors). */
  readonly fields: ReadonlySet<string>;
  /**
   * The type each field is stored as. InfluxDB keeps one type per field and drops points of
   * another type in a partial write, so a line with another type is refused up front.
   */
  readonly types?: ReadonlyMap<string, FieldType>;
}

/**
 * Decides per line whether measurement + asset tag value name an asset the writer may write: a LineTarget, or a
 * reason (string) to refuse the line. Called once per distinct (measurement, asset) pair per batch, with the
 * unescaped names.
 */
export type ResolveTarget = (measurement: string, asset: string) => LineTarget | string;

export interface BatchOptions {
  readonly precision: Precision;
  /** Server time; the time of a point without a timestamp. */
  readonly nowMs: number;
  /** Points older than this are refused (retention). Whole milliseconds; a fraction is rounded up. */
  readonly oldestMs: number;
  /** Points newer than this are refused (clock skew guard). Whole milliseconds; a fraction is rounded down. */
  readonly newestMs: number;
  /** Tags per line besides `asset`; default 8. */
  readonly maxTags?: number;
  /** Accept unsigned integers ("12u"). Default false: InfluxDB 1.x OSS refuses them. */
  readonly allowUnsigned?: boolean;
}

/**
 * The outcome of validateBatch. On failure `line` is the 1-based physical line number in the body (0 when the
 * body as a whole is at fault) and `reason` says what is wrong without the "line N: " prefix.
 */
export type BatchResult =
  | {
      readonly ok: true;
      readonly points: number;
      readonly perAsset: ReadonlyMap<string, number> /* asset tag value → points */;
      /** Points without a timestamp (InfluxDB gives them its own clock's time). */
      readonly untimed: number;
      /** Distinct series key (measurement and sorted tags, escaped as written) → first line holding it. */
      readonly series: ReadonlyMap<string, number>;
      /** Per asset tag value, the hours (ms since the epoch / 3,600,000, floored) of its timestamped points. */
      readonly hours: ReadonlyMap<string, ReadonlySet<number>>;
    }
  | { readonly ok: false; readonly line: number /* 1-based physical line number in the body */; readonly reason: string };

// ---------------------------------------------------------------------------------------------------------------
// Character codes

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const EQUALS = 61;
const UPPER_E = 69;
const UPPER_F = 70;
const UPPER_T = 84;
const BACKSLASH = 92;
const LOWER_E = 101;
const LOWER_F = 102;
const LOWER_I = 105;
const LOWER_T = 116;
const LOWER_U = 117;
const DEL = 127;

// ---------------------------------------------------------------------------------------------------------------
// Limits

const HOUR_MS = 3_600_000;

/** InfluxDB's limit on measurement + tags + field key ("series key"), in bytes. */
const MAX_SERIES_KEY_BYTES = 65535;
/** Length of the separator InfluxDB puts between series key and field key when it counts the limit above. */
const FIELD_KEY_SEPARATOR_BYTES = 4;
/**
 * InfluxDB stores times in [-2^63 + 2, 2^63 - 2] ns. These bounds, in ms, lie a little inside that range so that
 * any sub-millisecond part still fits.
 */
const STORABLE_MIN_MS = -9223372036853;
const STORABLE_MAX_MS = 9223372036853;
const INT64_MAX_DIGITS = "9223372036854775807";
const INT64_MIN_DIGITS = "9223372036854775808";
const UINT64_MAX_DIGITS = "18446744073709551615";
/** Above this many integer digits (without an exponent) a float could overflow to Infinity. */
const FLOAT_SAFE_DIGITS = 300;
const QUOTE_LIMIT = 60;
const DEFAULT_MAX_TAGS = 8;
/** Longest tag key and tag value accepted, in characters as written. */
export const MAX_TAG_KEY_CHARS = 128;
export const MAX_TAG_VALUE_CHARS = 256;

const TYPE_FLOAT = 1;
const TYPE_INTEGER = 2;
const TYPE_UNSIGNED = 3;
const TYPE_BOOLEAN = 4;
const TYPE_NAMES = ["", "a float", "an integer", "an unsigned integer", "a boolean"];
const TYPE_PLURALS = ["", "floats", "integers", "unsigned integers", "booleans"];

const CRLF_REASON = 'carriage return ("\\r") before the line break: InfluxDB 1.x accepts only "\\n" line endings, not "\\r\\n"';

// ---------------------------------------------------------------------------------------------------------------
// Name scanning (measurement, tag keys, tag values, field keys)

const NAME_MEASUREMENT = 0;
/** Tag key or field key: ends at an unescaped "=". */
const NAME_KEY = 1;
const NAME_TAG_VALUE = 2;

const SCAN_BAD_ESCAPE = 1;
const SCAN_CONTROL = 2;
const SCAN_QUOTE = 3;
const SCAN_EQUALS = 4;
const SCAN_UNICODE = 5;

const CLASS_PLAIN = 0;
const CLASS_END = 1;
const CLASS_EQUALS = 2;
const CLASS_BACKSLASH = 3;
const CLASS_CONTROL = 4;
const CLASS_QUOTE = 5;
const CLASS_SURROGATE_OR_FFFD = 6;

/** How scanName treats each ASCII character. */
const NAME_CLASS = new Uint8Array(128);
for (let c = 0; c < SPACE; c++) NAME_CLASS[c] = CLASS_CONTROL;
NAME_CLASS[DEL] = CLASS_CONTROL;
NAME_CLASS[LF] = CLASS_END;
NAME_CLASS[COMMA] = CLASS_END;
NAME_CLASS[SPACE] = CLASS_END;
NAME_CLASS[EQUALS] = CLASS_EQUALS;
NAME_CLASS[BACKSLASH] = CLASS_BACKSLASH;
NAME_CLASS[QUOTE] = CLASS_QUOTE;

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** Hash of the raw text scanned by the last scanName call. */
let scannedHash = 0;
/** Why the last scanName call failed (SCAN_*), and where. */
let scanError = 0;
let scanErrorAt = 0;

/**
 * Scans a name from `i` to the first unescaped terminator ("," " " or "\n"/end, and "=" for keys) and returns
 * the terminator's index, or -1 with scanError/scanErrorAt set. Sets scannedHash to the FNV-1a hash of the raw
 * (still escaped) text.
 */
function scanName(body: string, i: number, n: number, kind: number): number {
  let h = FNV_OFFSET;
  while (i < n) {
    const c = body.charCodeAt(i);
    const cls = c < 128 ? (NAME_CLASS[c] ?? CLASS_PLAIN) : c >= 0xd800 ? CLASS_SURROGATE_OR_FFFD : CLASS_PLAIN;
    if (cls !== CLASS_PLAIN) {
      if (cls === CLASS_END) break;
      if (cls === CLASS_EQUALS) {
        if (kind === NAME_KEY) break;
        if (kind === NAME_TAG_VALUE) return scanFailed(SCAN_EQUALS, i);
      } else if (cls === CLASS_BACKSLASH) {
        const d = i + 1 < n ? body.charCodeAt(i + 1) : -1;
        if (d === COMMA || d === SPACE || (d === EQUALS && kind !== NAME_MEASUREMENT)) {
          h = Math.imul(Math.imul(h ^ c, FNV_PRIME) ^ d, FNV_PRIME);
          i += 2;
          continue;
        }
        return scanFailed(SCAN_BAD_ESCAPE, i);
      } else if (cls === CLASS_CONTROL) {
        return scanFailed(SCAN_CONTROL, i);
      } else if (cls === CLASS_QUOTE) {
        return scanFailed(SCAN_QUOTE, i);
      } else {
        if (c === 0xfffd || (c >= 0xdc00 && c <= 0xdfff)) return scanFailed(SCAN_UNICODE, i);
        if (c <= 0xdbff) {
          const d = i + 1 < n ? body.charCodeAt(i + 1) : -1;
          if (d < 0xdc00 || d > 0xdfff) return scanFailed(SCAN_UNICODE, i);
          h = Math.imul(Math.imul(h ^ c, FNV_PRIME) ^ d, FNV_PRIME);
          i += 2;
          continue;
        }
      }
    }
    h = Math.imul(h ^ c, FNV_PRIME);
    i++;
  }
  scannedHash = h;
  return i;
}

function scanFailed(error: number, at: number): number {
  scanError = error;
  scanErrorAt = at;
  return -1;
}

function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

function slotOfHash(h: number, mask: number): number {
  return (h ^ (h >>> 15)) & mask;
}

// ---------------------------------------------------------------------------------------------------------------
// Field key tables: one per LineTarget per batch, matching raw field keys without allocating

interface FieldTable {
  readonly target: LineTarget;
  /** The sensors' keys as they must appear in a line (escaped). */
  readonly raw: readonly string[];
  /** The sensors' keys. */
  readonly names: readonly string[];
  /** Per field, the declared TYPE_* (0 = any). */
  readonly declared: Int8Array;
  readonly mask: number;
  readonly slotHash: Int32Array;
  /** Index into raw + 1; 0 = empty slot. */
  readonly slotIndex: Int32Array;
  /** Per field, the line it was last seen on (duplicate detection). */
  readonly seenOnLine: Int32Array;
  /** Field indexes in the order of the last accepted line using this table, to predict the next line's keys. */
  readonly order: Int32Array;
  orderLength: number;
}

function escapeKey(name: string): string {
  let out = "";
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === COMMA || c === EQUALS || c === SPACE) out += "\\";
    out += name[i];
  }
  return out;
}

/** True when a key could appear in a line this validator accepts (see scanName). */
function isWritableName(name: string): boolean {
  if (name.length === 0 || name === "time") return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < SPACE || c === DEL || c === QUOTE || c === BACKSLASH || c === 0xfffd) return false;
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = name.charCodeAt(i + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    }
  }
  return true;
}

/**
 * Field tables outlive a batch as long as their target does (callers cache targets), so a busy
 * device does not rebuild them per request. The per-batch state is reset on first use in a batch;
 * validation is synchronous, so no two batches share a table at once.
 */
const fieldTables = new WeakMap<LineTarget, FieldTable>();

function cachedFieldTable(target: LineTarget): FieldTable {
  let table = fieldTables.get(target);
  if (table === undefined) {
    table = buildFieldTable(target);
    fieldTables.set(target, table);
  } else {
    table.seenOnLine.fill(0);
  }
  return table;
}

function buildFieldTable(target: LineTarget): FieldTable {
  const names: string[] = [];
  const raw: string[] = [];
  for (const name of target.fields) {
    if (!isWritableName(name)) continue;
    names.push(name);
    raw.push(escapeKey(name));
  }
  let size = 8;
  while (size < raw.length * 2) size *= 2;
  const mask = size - 1;
  const slotHash = new Int32Array(size);
  const slotIndex = new Int32Array(size);
  raw.forEach((key, index) => {
    const h = hashString(key);
    let s = slotOfHash(h, mask);
    while (slotIndex[s] !== 0) s = (s + 1) & mask;
    slotHash[s] = h;
    slotIndex[s] = index + 1;
  });
  const declared = new Int8Array(names.length);
  names.forEach((name, index) => {
    const t = target.types?.get(name);
    declared[index] = t === "float" ? TYPE_FLOAT : t === "integer" ? TYPE_INTEGER : t === "boolean" ? TYPE_BOOLEAN : 0;
  });
  return {
    target,
    raw,
    names,
    declared,
    mask,
    slotHash,
    slotIndex,
    seenOnLine: new Int32Array(raw.length),
    order: new Int32Array(raw.length),
    orderLength: 0,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// (measurement, asset) pairs resolved in this batch

/** Field types seen per measurement in this batch (InfluxDB keeps one type per field). */
interface MeasurementTypes {
  readonly slotByField: Map<string, number>;
  readonly types: number[];
  readonly firstLine: number[];
}

interface Pair {
  readonly rawMeasurement: string;
  readonly rawAsset: string;
  readonly asset: string;
  readonly table: FieldTable;
  /** Field index in table → slot in measurement.types. */
  readonly typeSlot: Int32Array;
  readonly measurement: MeasurementTypes;
  points: number;
  /** First line of this pair without other tags than `asset` (its series), 0 if none. */
  bareLine: number;
  /** Hours of its timestamped points; `lastHour` spares the set a lookup per point of sorted batches. */
  readonly hours: Set<number>;
  lastHour: number;
}

class PairTable {
  private mask = 63;
  private hashes = new Int32Array(64);
  private pairs: (Pair | undefined)[] = new Array<Pair | undefined>(64).fill(undefined);
  private count = 0;
  readonly all: Pair[] = [];

  find(h: number, body: string, mStart: number, mLength: number, aStart: number, aLength: number): Pair | undefined {
    const mask = this.mask;
    let s = slotOfHash(h, mask);
    for (;;) {
      const pair = this.pairs[s];
      if (pair === undefined) return undefined;
      if (
        this.hashes[s] === h &&
        pair.rawMeasurement.length === mLength &&
        pair.rawAsset.length === aLength &&
        body.startsWith(pair.rawMeasurement, mStart) &&
        body.startsWith(pair.rawAsset, aStart)
      ) {
        return pair;
      }
      s = (s + 1) & mask;
    }
  }

  add(h: number, pair: Pair): void {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    this.place(h, pair);
    this.count++;
    this.all.push(pair);
  }

  private place(h: number, pair: Pair): void {
    let s = slotOfHash(h, this.mask);
    while (this.pairs[s] !== undefined) s = (s + 1) & this.mask;
    this.hashes[s] = h;
    this.pairs[s] = pair;
  }

  private grow(): void {
    const oldHashes = this.hashes;
    const oldPairs = this.pairs;
    const size = (this.mask + 1) * 2;
    this.mask = size - 1;
    this.hashes = new Int32Array(size);
    this.pairs = new Array<Pair | undefined>(size).fill(undefined);
    oldPairs.forEach((pair, s) => {
      if (pair !== undefined) this.place(oldHashes[s] ?? 0, pair);
    });
  }
}

function pairHash(measurementHash: number, assetHash: number): number {
  return Math.imul(measurementHash ^ (assetHash >>> 7), FNV_PRIME) ^ assetHash;
}

// ---------------------------------------------------------------------------------------------------------------
// Text helpers (cold paths: only used to build failure reasons and cache entries)

function unescapeName(raw: string): string {
  if (raw.indexOf("\\") < 0) return raw;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "\\" && i + 1 < raw.length) {
      i++;
      out += raw[i];
    } else {
      out += c;
    }
  }
  return out;
}

/** Quotes a part of a line for a message: control characters made visible, cut to about 60 characters. */
function quote(text: string): string {
  const cut = text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT - 1)}…` : text;
  let out = '"';
  for (let i = 0; i < cut.length; i++) {
    const c = cut.charCodeAt(i);
    if (c === TAB) out += "\\t";
    else if (c === CR) out += "\\r";
    else if (c === LF) out += "\\n";
    else if (c < SPACE || c === DEL) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += cut[i];
  }
  return `${out}"`;
}

/** Index of the next ",", " " or "\n" (or the end) from i. */
function tokenEnd(body: string, i: number, n: number): number {
  while (i < n) {
    const c = body.charCodeAt(i);
    if (c === COMMA || c === SPACE || c === LF) break;
    i++;
  }
  return i;
}

function lineEnd(body: string, i: number, n: number): number {
  const nl = body.indexOf("\n", i);
  return nl < 0 ? n : nl;
}

function isCarriageReturnAt(body: string, i: number, n: number): boolean {
  return i < n && body.charCodeAt(i) === CR;
}

function scanErrorReason(body: string, n: number, part: string, start: number): string {
  const at = scanErrorAt;
  if (isCarriageReturnAt(body, at, n)) return CRLF_REASON;
  // Show the name up to the offending character (and the one after a backslash).
  const shown = quote(body.slice(start, Math.min(n, at + (scanError === SCAN_BAD_ESCAPE ? 2 : 1))));
  const c = at < n ? body.charCodeAt(at) : 0;
  switch (scanError) {
    case SCAN_BAD_ESCAPE:
      return part === "measurement"
        ? `bad escape in measurement ${shown}: a backslash may only precede "," or " "`
        : `bad escape in ${part} ${shown}: a backslash may only precede ",", "=" or " "`;
    case SCAN_CONTROL:
      return `${part} ${shown} contains the control character U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
    case SCAN_QUOTE:
      return `${part} ${shown} contains a double quote, which is not accepted in names`;
    case SCAN_EQUALS:
      return `${part} ${shown} contains an unescaped "=" (write it as "\\=")`;
    default:
      return `${part} ${shown} contains invalid Unicode (is the body valid UTF-8?)`;
  }
}

/** Compares body[start, start + ref.length) with a digit string of the same length. */
function compareDigits(body: string, start: number, ref: string): number {
  for (let k = 0; k < ref.length; k++) {
    const d = body.charCodeAt(start + k) - ref.charCodeAt(k);
    if (d !== 0) return d;
  }
  return 0;
}

function sameText(body: string, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let k = 0; k < aEnd - aStart; k++) {
    if (body.charCodeAt(aStart + k) !== body.charCodeAt(bStart + k)) return false;
  }
  return true;
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * ISO 8601 text for msFloor + sub / 10^subDigits milliseconds, with as many fraction digits as needed, or
 * undefined when the instant is beyond what Date can show.
 */
function isoInstant(msFloor: number, sub: number, subDigits: number): string | undefined {
  if (!(Math.abs(msFloor) <= 8.64e15)) return undefined;
  const iso = new Date(msFloor).toISOString();
  const dot = iso.lastIndexOf(".");
  let fraction = iso.slice(dot + 1, iso.length - 1) + (subDigits > 0 ? String(sub).padStart(subDigits, "0") : "");
  let end = fraction.length;
  while (end > 0 && fraction.charCodeAt(end - 1) === DIGIT_0) end--;
  fraction = fraction.slice(0, end);
  return `${iso.slice(0, dot)}${fraction.length > 0 ? `.${fraction}` : ""}Z`;
}

function knownFields(table: FieldTable): string {
  let list = "";
  for (const name of table.target.fields) {
    const next = list.length === 0 ? name : `${list}, ${name}`;
    if (next.length > QUOTE_LIMIT) return `${list}, …`;
    list = next;
  }
  return list.length === 0 ? "none" : list;
}

function unknownFieldReason(table: FieldTable, key: string): string {
  if (key === "time") return 'field key "time" is reserved by InfluxDB';
  if (table.target.fields.has(key)) return `field ${quote(key)} cannot be written: its name is not accepted in line protocol`;
  return `field ${quote(key)} is not a sensor of this asset (known: ${knownFields(table)})`;
}

function fieldName(table: FieldTable, field: number): string {
  return quote(table.names[field] ?? "");
}

/** Measurement and tags sorted by key, as written (escapes make this text unambiguous). */
function seriesKey(body: string, mStart: number, mEnd: number, tags: Int32Array, tagCount: number): string {
  const parts: string[] = [];
  for (let t = 0; t < tagCount; t++) parts.push(body.slice(tags[t * 4] ?? 0, tags[t * 4 + 3] ?? 0));
  parts.sort();
  return `${body.slice(mStart, mEnd)},${parts.join(",")}`;
}

function failure(line: number, reason: string): BatchResult {
  return { ok: false, line, reason };
}

// ---------------------------------------------------------------------------------------------------------------
// Timestamps

/** Digits below the millisecond for each precision, and milliseconds per unit for the coarser ones. */
function subMillisecondDigits(precision: Precision): number {
  switch (precision) {
    case "ns":
      return 6;
    case "us":
      return 3;
    case "ms":
    case "s":
    case "m":
    case "h":
      return 0;
    default:
      throw new RangeError(`unknown precision ${String(precision)}`);
  }
}

function millisecondsPerUnit(precision: Precision): number {
  switch (precision) {
    case "s":
      return 1000;
    case "m":
      return 60_000;
    case "h":
      return 3_600_000;
    default:
      return 1;
  }
}

function timeReason(
  body: string,
  tsStart: number,
  tsEnd: number,
  precision: Precision,
  msFloor: number,
  sub: number,
  subDigits: number,
  lo: number,
  hi: number,
  userLo: number,
  userHi: number,
): string {
  const raw = body.slice(tsStart, tsEnd);
  const shown = isoInstant(msFloor, sub, subDigits) ?? quote(raw);
  const detail = `raw ${quote(raw)} at precision ${precision}`;
  if (msFloor < lo) {
    if (lo === userLo) {
      return `timestamp ${shown} is older than the retention period (oldest accepted: ${isoInstant(lo, 0, 0) ?? String(lo)}; ${detail})`;
    }
    return `timestamp ${shown} is before the earliest time InfluxDB can store (${detail})`;
  }
  if (hi === userHi) {
    return `timestamp ${shown} is too far in the future (newest accepted: ${isoInstant(hi, 0, 0) ?? String(hi)}; ${detail})`;
  }
  return `timestamp ${shown} is after the latest time InfluxDB can store (${detail})`;
}

// ---------------------------------------------------------------------------------------------------------------
// The validator

/**
 * Validates a whole line protocol body: syntax (at least as strict as InfluxDB 1.6), the `asset` tag, the
 * writer's rights (through `resolve`, cached per distinct pair), field keys, value types and the time window.
 * Stops at the first bad line. Runs in one pass without per-field allocations.
 */
export function validateBatch(body: string, resolve: ResolveTarget, options: BatchOptions): BatchResult {
  const n = body.length;
  const precision = options.precision;
  const subDigits = subMillisecondDigits(precision);
  const msPerUnit = millisecondsPerUnit(precision);
  const subScale = subDigits === 6 ? 1_000_000 : subDigits === 3 ? 1000 : 1;
  const maxTags = options.maxTags ?? DEFAULT_MAX_TAGS;
  if (!Number.isInteger(maxTags) || maxTags < 0) throw new RangeError(`maxTags must be a whole number ≥ 0, not ${maxTags}`);
  const allowUnsigned = options.allowUnsigned === true;
  if (Number.isNaN(options.oldestMs) || Number.isNaN(options.newestMs) || !Number.isFinite(options.nowMs)) {
    throw new RangeError("nowMs, oldestMs and newestMs must be numbers");
  }
  const userLo = Math.ceil(options.oldestMs);
  const userHi = Math.floor(options.newestMs);
  const lo = Math.max(userLo, STORABLE_MIN_MS);
  const hi = Math.min(userHi, STORABLE_MAX_MS);
  const nowAccepted = options.nowMs >= lo && options.nowMs <= hi;

  // Per tag: key start, key end, value start, value end.
  const tagCapacity = maxTags + 1;
  const tags = new Int32Array(tagCapacity * 4);

  const pairs = new PairTable();
  const tables = new Map<LineTarget, FieldTable>();
  const measurements = new Map<string, MeasurementTypes>();
  const taggedSeries = new Map<string, number>();

  let points = 0;
  let untimed = 0;
  let lineNo = 0;
  let pos = 0;

  while (pos < n) {
    lineNo++;
    let i = pos;
    let c = body.charCodeAt(i);

    // Leading whitespace, blank lines, comments.
    while (c === SPACE || c === TAB) {
      i++;
      c = i < n ? body.charCodeAt(i) : LF;
    }
    if (c === LF) {
      pos = i + 1;
      continue;
    }
    if (c === HASH) {
      const end = lineEnd(body, i, n);
      for (let k = i + 1; k < end; k++) {
        const d = body.charCodeAt(k);
        if (d === QUOTE || d === BACKSLASH) {
          return failure(
            lineNo,
            `comment ${quote(body.slice(i, end))} contains '"' or "\\", which InfluxDB may read as quoting or escaping the line break`,
          );
        }
      }
      pos = end + 1;
      continue;
    }

    // Measurement.
    const mStart = i;
    if (c === COMMA) return failure(lineNo, `missing measurement before ${quote(body.slice(i, lineEnd(body, i, n)))}`);
    i = scanName(body, i, n, NAME_MEASUREMENT);
    if (i < 0) return failure(lineNo, scanErrorReason(body, n, "measurement", mStart));
    const mEnd = i;
    const mHash = scannedHash;
    c = i < n ? body.charCodeAt(i) : LF;

    // Tags.
    let tagCount = 0;
    let assetTag = -1;
    let assetHash = 0;
    while (c === COMMA) {
      i++;
      const kStart = i;
      i = scanName(body, i, n, NAME_KEY);
      if (i < 0) return failure(lineNo, scanErrorReason(body, n, "tag key", kStart));
      if (i === kStart) {
        if (isCarriageReturnAt(body, i, n)) return failure(lineNo, CRLF_REASON);
        return failure(lineNo, `missing tag key after ${quote(body.slice(mStart, i))}`);
      }
      const kEnd = i;
      c = i < n ? body.charCodeAt(i) : LF;
      if (c !== EQUALS) return failure(lineNo, `tag ${quote(body.slice(kStart, kEnd))} has no value`);
      i++;
      const vStart = i;
      i = scanName(body, i, n, NAME_TAG_VALUE);
      if (i < 0) return failure(lineNo, scanErrorReason(body, n, `value of tag ${quote(body.slice(kStart, kEnd))}`, vStart));
      if (i === vStart) {
        if (isCarriageReturnAt(body, i, n)) return failure(lineNo, CRLF_REASON);
        return failure(lineNo, `tag ${quote(body.slice(kStart, kEnd))} has no value`);
      }
      if (kEnd - kStart > MAX_TAG_KEY_CHARS) {
        return failure(lineNo, `tag key ${quote(body.slice(kStart, kEnd))} is longer than ${MAX_TAG_KEY_CHARS} characters`);
      }
      if (i - vStart > MAX_TAG_VALUE_CHARS) {
        return failure(lineNo, `value of tag ${quote(body.slice(kStart, kEnd))} is longer than ${MAX_TAG_VALUE_CHARS} characters`);
      }
      // Room for maxTags tags plus asset: one more is too many (and a line without asset is refused below anyway).
      if (tagCount === tagCapacity) {
        return failure(lineNo, `too many tags: at most ${maxTags} besides "asset" are accepted`);
      }
      const t = tagCount * 4;
      tags[t] = kStart;
      tags[t + 1] = kEnd;
      tags[t + 2] = vStart;
      tags[t + 3] = i;
      const keyLength = kEnd - kStart;
      if (keyLength === 5 && body.startsWith("asset", kStart)) {
        if (assetTag >= 0) return failure(lineNo, 'duplicate tag "asset"');
        assetTag = tagCount;
        assetHash = scannedHash;
      } else if (keyLength === 4 && body.startsWith("time", kStart)) {
        return failure(lineNo, 'tag key "time" is reserved by InfluxDB');
      }
      tagCount++;
      c = i < n ? body.charCodeAt(i) : LF;
    }
    const keyEnd = i;
    if (c !== SPACE) {
      if (c === CR) return failure(lineNo, CRLF_REASON);
      return failure(lineNo, `missing fields after ${quote(body.slice(mStart, keyEnd))}`);
    }

    // Tag rules.
    for (let a = 1; a < tagCount; a++) {
      const aStart = tags[a * 4] ?? 0;
      const aEnd = tags[a * 4 + 1] ?? 0;
      for (let b = 0; b < a; b++) {
        if (sameText(body, aStart, aEnd, tags[b * 4] ?? 0, tags[b * 4 + 1] ?? 0)) {
          return failure(lineNo, `duplicate tag ${quote(body.slice(aStart, aEnd))}`);
        }
      }
    }
    if (assetTag < 0) return failure(lineNo, 'tag "asset" is missing');

    // Who is written to: cached per (measurement, asset).
    const aStart = tags[assetTag * 4 + 2] ?? 0;
    const aEnd = tags[assetTag * 4 + 3] ?? 0;
    const h = pairHash(mHash, assetHash);
    let pair = pairs.find(h, body, mStart, mEnd - mStart, aStart, aEnd - aStart);
    if (pair === undefined) {
      const rawMeasurement = body.slice(mStart, mEnd);
      const rawAsset = body.slice(aStart, aEnd);
      const measurementName = unescapeName(rawMeasurement);
      const asset = unescapeName(rawAsset);
      const target = resolve(measurementName, asset);
      if (typeof target === "string") return failure(lineNo, target);
      let table = tables.get(target);
      if (table === undefined) {
        table = cachedFieldTable(target);
        tables.set(target, table);
      }
      let measurement = measurements.get(rawMeasurement);
      if (measurement === undefined) {
        measurement = { slotByField: new Map(), types: [], firstLine: [] };
        measurements.set(rawMeasurement, measurement);
      }
      const typeSlot = new Int32Array(table.names.length);
      table.names.forEach((name, f) => {
        let slot = measurement.slotByField.get(name);
        if (slot === undefined) {
          slot = measurement.types.length;
          measurement.slotByField.set(name, slot);
          measurement.types.push(0);
          measurement.firstLine.push(0);
        }
        typeSlot[f] = slot;
      });
      pair = {
        rawMeasurement,
        rawAsset,
        asset,
        table,
        typeSlot,
        measurement,
        points: 0,
        bareLine: 0,
        hours: new Set<number>(),
        lastHour: Number.NaN,
      };
      pairs.add(h, pair);
    }
    // Its series: the pair itself when `asset` is the only tag (the common case, no allocation).
    if (tagCount === 1) {
      if (pair.bareLine === 0) pair.bareLine = lineNo;
    } else {
      const key = seriesKey(body, mStart, mEnd, tags, tagCount);
      if (!taggedSeries.has(key)) taggedSeries.set(key, lineNo);
    }
    const table = pair.table;
    const { raw: rawKeys, slotHash, slotIndex, seenOnLine, mask } = table;
    const { types, firstLine } = pair.measurement;
    const typeSlot = pair.typeSlot;
    const seriesKeyLength = keyEnd - mStart;
    const order = table.order;
    const predicted = table.orderLength;
    let fieldCount = 0;

    // Fields.
    while (c === SPACE) {
      i++;
      c = i < n ? body.charCodeAt(i) : LF;
    }
    if (c === LF || c === CR) {
      if (c === CR) return failure(lineNo, CRLF_REASON);
      return failure(lineNo, "missing fields");
    }
    for (;;) {
      const fStart = i;
      let field = -1;
      // Devices send their fields in the same order line after line: try the key at this place last time first.
      if (fieldCount < predicted) {
        const candidate = order[fieldCount] ?? 0;
        const key = rawKeys[candidate];
        if (key !== undefined) {
          const end = i + key.length;
          if (end < n && body.charCodeAt(end) === EQUALS && body.startsWith(key, i)) {
            field = candidate;
            i = end;
          }
        }
      }
      if (field < 0) {
        i = scanName(body, i, n, NAME_KEY);
        if (i < 0) return failure(lineNo, scanErrorReason(body, n, "field key", fStart));
        if (i === fStart) {
          if (isCarriageReturnAt(body, i, n)) return failure(lineNo, CRLF_REASON);
          return failure(lineNo, `missing field key before ${quote(body.slice(i, lineEnd(body, i, n)))}`);
        }
        if (i >= n || body.charCodeAt(i) !== EQUALS) return failure(lineNo, `field ${quote(body.slice(fStart, i))} has no value`);
        const fh = scannedHash;
        const fLength = i - fStart;
        let s = slotOfHash(fh, mask);
        for (;;) {
          const entry = slotIndex[s] ?? 0;
          if (entry === 0) break;
          if (slotHash[s] === fh) {
            const key = rawKeys[entry - 1];
            if (key !== undefined && key.length === fLength && body.startsWith(key, fStart)) {
              field = entry - 1;
              break;
            }
          }
          s = (s + 1) & mask;
        }
      }
      const fEnd = i;
      const fLength = fEnd - fStart;
      if (field < 0) return failure(lineNo, unknownFieldReason(table, unescapeName(body.slice(fStart, fEnd))));
      if (seenOnLine[field] === lineNo) return failure(lineNo, `duplicate field ${fieldName(table, field)}`);
      seenOnLine[field] = lineNo;
      order[fieldCount] = field;
      fieldCount++;
      if ((seriesKeyLength + fLength) * 3 + FIELD_KEY_SEPARATOR_BYTES > MAX_SERIES_KEY_BYTES) {
        const bytes = utf8Length(body.slice(mStart, keyEnd)) + FIELD_KEY_SEPARATOR_BYTES + utf8Length(body.slice(fStart, fEnd));
        if (bytes > MAX_SERIES_KEY_BYTES) {
          return failure(
            lineNo,
            `series key for field ${quote(body.slice(fStart, fEnd))} is ${bytes} bytes; InfluxDB allows ${MAX_SERIES_KEY_BYTES}`,
          );
        }
      }

      // Its value.
      i++;
      const vStart = i;
      c = i < n ? body.charCodeAt(i) : LF;
      let type = TYPE_FLOAT;
      if ((c >= DIGIT_0 && c <= DIGIT_9) || c === MINUS || c === DOT) {
        const negative = c === MINUS;
        if (negative) {
          i++;
          c = i < n ? body.charCodeAt(i) : LF;
        }
        const intStart = i;
        while (c >= DIGIT_0 && c <= DIGIT_9) {
          i++;
          c = i < n ? body.charCodeAt(i) : LF;
        }
        const intDigits = i - intStart;
        let fractionDigits = 0;
        let decimalPoint = false;
        if (c === DOT) {
          decimalPoint = true;
          i++;
          c = i < n ? body.charCodeAt(i) : LF;
          const fractionStart = i;
          while (c >= DIGIT_0 && c <= DIGIT_9) {
            i++;
            c = i < n ? body.charCodeAt(i) : LF;
          }
          fractionDigits = i - fractionStart;
        }
        let exponent = false;
        if (intDigits + fractionDigits > 0 && (c === LOWER_E || c === UPPER_E)) {
          exponent = true;
          i++;
          c = i < n ? body.charCodeAt(i) : LF;
          if (c === PLUS || c === MINUS) {
            i++;
            c = i < n ? body.charCodeAt(i) : LF;
          }
          const exponentStart = i;
          while (c >= DIGIT_0 && c <= DIGIT_9) {
            i++;
            c = i < n ? body.charCodeAt(i) : LF;
          }
          if (i === exponentStart) c = -1; // no exponent digits: make the terminator check fail
        }
        if (intDigits + fractionDigits === 0) c = -1;
        if (c === LOWER_I) {
          if (decimalPoint || exponent) c = -1;
          else {
            if (intDigits > 19 || (intDigits === 19 && compareDigits(body, intStart, negative ? INT64_MIN_DIGITS : INT64_MAX_DIGITS) > 0)) {
              return failure(
                lineNo,
                `integer ${quote(body.slice(vStart, i + 1))} for ${fieldName(table, field)} is outside the signed 64-bit range`,
              );
            }
            type = TYPE_INTEGER;
            i++;
            c = i < n ? body.charCodeAt(i) : LF;
          }
        } else if (c === LOWER_U) {
          if (decimalPoint || exponent) c = -1;
          else {
            const shown = quote(body.slice(vStart, i + 1));
            const name = fieldName(table, field);
            if (!allowUnsigned) {
              return failure(
                lineNo,
                `unsigned integer ${shown} for ${name} is not supported by InfluxDB 1.x; send an integer (with "i") or a float`,
              );
            }
            if (negative) return failure(lineNo, `unsigned integer ${shown} for ${name} is negative`);
            if (intDigits > 20 || (intDigits === 20 && compareDigits(body, intStart, UINT64_MAX_DIGITS) > 0)) {
              return failure(lineNo, `unsigned integer ${shown} for ${name} is outside the 64-bit range`);
            }
            type = TYPE_UNSIGNED;
            i++;
            c = i < n ? body.charCodeAt(i) : LF;
          }
        } else {
          if ((exponent || intDigits > FLOAT_SAFE_DIGITS) && (c === COMMA || c === SPACE || c === LF)) {
            if (!Number.isFinite(Number(body.slice(vStart, i)))) {
              return failure(lineNo, `float ${quote(body.slice(vStart, i))} for ${fieldName(table, field)} is out of range`);
            }
          }
        }
        if (c !== COMMA && c !== SPACE && c !== LF) {
          if (c === CR && (i + 1 >= n || body.charCodeAt(i + 1) === LF)) return failure(lineNo, CRLF_REASON);
          return failure(
            lineNo,
            `invalid field value ${quote(body.slice(vStart, tokenEnd(body, vStart, n)))} for ${fieldName(table, field)}`,
          );
        }
      } else if (c === LOWER_T || c === UPPER_T || c === LOWER_F || c === UPPER_F) {
        const end = tokenEnd(body, i, n);
        const length = end - i;
        let valid = length === 1;
        if (length === 4) {
          valid = body.startsWith("true", i) || body.startsWith("True", i) || body.startsWith("TRUE", i);
        } else if (length === 5) {
          valid = body.startsWith("false", i) || body.startsWith("False", i) || body.startsWith("FALSE", i);
        }
        if (!valid) {
          if (body.charCodeAt(end - 1) === CR) return failure(lineNo, CRLF_REASON);
          return failure(lineNo, `invalid field value ${quote(body.slice(i, end))} for ${fieldName(table, field)}`);
        }
        type = TYPE_BOOLEAN;
        i = end;
        c = i < n ? body.charCodeAt(i) : LF;
      } else if (c === QUOTE) {
        return failure(lineNo, `field ${fieldName(table, field)} holds a string; only numbers and booleans are accepted`);
      } else if (c === COMMA || c === SPACE || c === LF) {
        return failure(lineNo, `field ${fieldName(table, field)} has no value`);
      } else {
        if (c === CR) return failure(lineNo, CRLF_REASON);
        return failure(
          lineNo,
          `invalid field value ${quote(body.slice(vStart, tokenEnd(body, vStart, n)))} for ${fieldName(table, field)}`,
        );
      }

      // The sensor's declared type, then one type per field and measurement within the batch.
      const declaredType = table.declared[field] ?? 0;
      if (declaredType !== 0 && declaredType !== type) {
        const hint = declaredType === TYPE_FLOAT && type === TYPE_INTEGER ? ' (write "12" or "12.0", not "12i")' : "";
        return failure(
          lineNo,
          `field ${fieldName(table, field)} is ${TYPE_NAMES[type]} here but the sensor stores ${TYPE_PLURALS[declaredType]}${hint}`,
        );
      }
      const slot = typeSlot[field] ?? 0;
      const seen = types[slot] ?? 0;
      if (seen !== type) {
        if (seen !== 0) {
          return failure(
            lineNo,
            `field ${fieldName(table, field)} is ${TYPE_NAMES[type]} here but ${TYPE_NAMES[seen]} on line ${firstLine[slot] ?? 0}; InfluxDB keeps one type per field`,
          );
        }
        types[slot] = type;
        firstLine[slot] = lineNo;
      }

      if (c === COMMA) {
        i++;
        continue;
      }
      break;
    }

    // Timestamp.
    while (c === SPACE) {
      i++;
      c = i < n ? body.charCodeAt(i) : LF;
    }
    if (c === LF) {
      untimed++;
      if (!nowAccepted) {
        return failure(
          lineNo,
          `the point has no timestamp and the server time ${isoInstant(Math.floor(options.nowMs), 0, 0) ?? String(options.nowMs)} is outside the accepted time window`,
        );
      }
    } else {
      const tsStart = i;
      const negative = c === MINUS;
      if (negative) {
        i++;
        c = i < n ? body.charCodeAt(i) : LF;
      }
      const digitsStart = i;
      while (c >= DIGIT_0 && c <= DIGIT_9) {
        i++;
        c = i < n ? body.charCodeAt(i) : LF;
      }
      const digits = i - digitsStart;
      const tsEnd = i;
      while (c === SPACE) {
        i++;
        c = i < n ? body.charCodeAt(i) : LF;
      }
      if (c !== LF || digits === 0) {
        if (c === CR && (i + 1 >= n || body.charCodeAt(i + 1) === LF)) return failure(lineNo, CRLF_REASON);
        if (digits > 0 && tsEnd < i) {
          return failure(lineNo, `unexpected text after the timestamp: ${quote(body.slice(i, lineEnd(body, i, n)))}`);
        }
        return failure(lineNo, `invalid timestamp ${quote(body.slice(tsStart, tokenEnd(body, tsStart, n)))}: expected an integer`);
      }
      if (digits > 19 || (digits === 19 && compareDigits(body, digitsStart, negative ? INT64_MIN_DIGITS : INT64_MAX_DIGITS) > 0)) {
        return failure(lineNo, `timestamp ${quote(body.slice(tsStart, tsEnd))} is outside the signed 64-bit range`);
      }
      const split = digits > subDigits ? tsEnd - subDigits : digitsStart;
      let high = 0;
      for (let k = digitsStart; k < split; k++) high = high * 10 + (body.charCodeAt(k) - DIGIT_0);
      let low = 0;
      for (let k = split; k < tsEnd; k++) low = low * 10 + (body.charCodeAt(k) - DIGIT_0);
      // The instant is msFloor + sub / subScale milliseconds, 0 <= sub < subScale.
      let msFloor = high * msPerUnit;
      let sub = low;
      if (negative) {
        msFloor = -msFloor;
        if (low !== 0) {
          msFloor -= 1;
          sub = subScale - low;
        }
      }
      if (msFloor < lo || msFloor > hi || (msFloor === hi && sub !== 0)) {
        return failure(lineNo, timeReason(body, tsStart, tsEnd, precision, msFloor, sub, subDigits, lo, hi, userLo, userHi));
      }
      const hour = Math.floor(msFloor / HOUR_MS);
      if (hour !== pair.lastHour) {
        pair.lastHour = hour;
        pair.hours.add(hour);
      }
    }

    table.orderLength = fieldCount;
    pair.points++;
    points++;
    pos = i + 1;
  }

  if (points === 0) return { ok: false, line: 0, reason: "the body holds no points" };
  const perAsset = new Map<string, number>();
  const series = taggedSeries;
  const hours = new Map<string, Set<number>>();
  for (const pair of pairs.all) {
    if (pair.points > 0) perAsset.set(pair.asset, (perAsset.get(pair.asset) ?? 0) + pair.points);
    if (pair.hours.size > 0) {
      const known = hours.get(pair.asset);
      if (known) for (const h of pair.hours) known.add(h);
      else hours.set(pair.asset, pair.hours);
    }
    if (pair.bareLine > 0) series.set(`${pair.rawMeasurement},asset=${pair.rawAsset}`, pair.bareLine);
  }
  return { ok: true, points, perAsset, untimed, series, hours };
}
