/**
 * The refusals of the line protocol validator: each a kind (see RefusalKind) and a message. Only built once a
 * line is refused, never on the scanner's hot path.
 */
import { CR, DEL, LF, SPACE, TAB } from "./chars.js";
import { type FieldKeys, ValueType } from "./field-table.js";
import { MAX_SERIES_KEY_BYTES, MAX_TAG_KEY_CHARS, MAX_TAG_VALUE_CHARS, QUOTE_LIMIT } from "./limits.js";
import { type NameScan, ScanError } from "./names.js";
import { isoInstant, type Precision } from "./precision.js";
import { isCarriageReturnAt } from "./text.js";
import type { Refusal } from "./types.js";

const TYPE_NAMES = ["", "a float", "an integer", "an unsigned integer", "a boolean"];
const TYPE_PLURALS = ["", "floats", "integers", "unsigned integers", "booleans"];

/** Quotes a part of a line for a message: control characters made visible, cut to about 60 characters. */
export function quote(text: string): string {
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

const syntax = (reason: string): Refusal => ({ kind: "syntax", reason });
const tag = (reason: string): Refusal => ({ kind: "tag", reason });
const field = (reason: string): Refusal => ({ kind: "field", reason });
const fieldType = (reason: string): Refusal => ({ kind: "field-type", reason });
const valueRange = (reason: string): Refusal => ({ kind: "value-range", reason });
const timestamp = (reason: string): Refusal => ({ kind: "timestamp", reason });
const tooLarge = (reason: string): Refusal => ({ kind: "too-large", reason });

/** A field's name for a message, quoted. */
function fieldName(keys: FieldKeys, index: number): string {
  return quote(keys.names[index] ?? "");
}

function knownFields(keys: FieldKeys): string {
  let list = "";
  for (const name of keys.target.fields) {
    const next = list.length === 0 ? name : `${list}, ${name}`;
    if (next.length > QUOTE_LIMIT) return `${list}, …`;
    list = next;
  }
  return list.length === 0 ? "none" : list;
}

export const CRLF: Refusal = syntax(
  'carriage return ("\\r") before the line break: InfluxDB 1.x accepts only "\\n" line endings, not "\\r\\n"',
);

export const EMPTY: Refusal = { kind: "empty", reason: "the body holds no points" };

/** The refusals whose text quotes parts of the line; raw texts are given as written, unquoted. */
export const refuse = {
  comment: (text: string) =>
    syntax(`comment ${quote(text)} contains '"' or "\\", which InfluxDB may read as quoting or escaping the line break`),
  missingMeasurement: (rest: string) => syntax(`missing measurement before ${quote(rest)}`),
  missingTagKey: (seriesSoFar: string) => syntax(`missing tag key after ${quote(seriesSoFar)}`),
  tagWithoutValue: (key: string) => syntax(`tag ${quote(key)} has no value`),
  missingFieldsAfter: (series: string) => syntax(`missing fields after ${quote(series)}`),
  missingFields: () => syntax("missing fields"),
  missingFieldKey: (rest: string) => syntax(`missing field key before ${quote(rest)}`),
  rawFieldWithoutValue: (rawKey: string) => syntax(`field ${quote(rawKey)} has no value`),
  fieldWithoutValue: (keys: FieldKeys, index: number) => syntax(`field ${fieldName(keys, index)} has no value`),
  invalidValue: (text: string, keys: FieldKeys, index: number) =>
    syntax(`invalid field value ${quote(text)} for ${fieldName(keys, index)}`),
  textAfterTimestamp: (rest: string) => syntax(`unexpected text after the timestamp: ${quote(rest)}`),
  invalidTimestamp: (text: string) => syntax(`invalid timestamp ${quote(text)}: expected an integer`),

  duplicateAsset: () => tag('duplicate tag "asset"'),
  reservedTagKey: () => tag('tag key "time" is reserved by InfluxDB'),
  duplicateTag: (key: string) => tag(`duplicate tag ${quote(key)}`),
  missingAsset: () => tag('tag "asset" is missing'),

  longTagKey: (key: string) => tooLarge(`tag key ${quote(key)} is longer than ${MAX_TAG_KEY_CHARS} characters`),
  longTagValue: (key: string) => tooLarge(`value of tag ${quote(key)} is longer than ${MAX_TAG_VALUE_CHARS} characters`),
  tooManyTags: (maxTags: number) => tooLarge(`too many tags: at most ${maxTags} besides "asset" are accepted`),
  longSeriesKey: (rawKey: string, bytes: number) =>
    tooLarge(`series key for field ${quote(rawKey)} is ${bytes} bytes; InfluxDB allows ${MAX_SERIES_KEY_BYTES}`),

  unknownField: (keys: FieldKeys, key: string) => {
    if (key === "time") return field('field key "time" is reserved by InfluxDB');
    if (keys.target.fields.has(key)) return field(`field ${quote(key)} cannot be written: its name is not accepted in line protocol`);
    return field(`field ${quote(key)} is not a sensor of this asset (known: ${knownFields(keys)})`);
  },
  duplicateField: (keys: FieldKeys, index: number) => field(`duplicate field ${fieldName(keys, index)}`),

  stringField: (keys: FieldKeys, index: number) =>
    fieldType(`field ${fieldName(keys, index)} holds a string; only numbers and booleans are accepted`),
  unsignedNotSupported: (text: string, keys: FieldKeys, index: number) =>
    fieldType(
      `unsigned integer ${quote(text)} for ${fieldName(keys, index)} is not supported by InfluxDB 1.x; send an integer (with "i") or a float`,
    ),
  declaredType: (keys: FieldKeys, index: number, type: ValueType, declared: ValueType) => {
    const hint = declared === ValueType.float && type === ValueType.integer ? ' (write "12" or "12.0", not "12i")' : "";
    return fieldType(`field ${fieldName(keys, index)} is ${TYPE_NAMES[type]} here but the sensor stores ${TYPE_PLURALS[declared]}${hint}`);
  },
  typeConflict: (keys: FieldKeys, index: number, type: ValueType, seen: number, firstLine: number) =>
    fieldType(
      `field ${fieldName(keys, index)} is ${TYPE_NAMES[type]} here but ${TYPE_NAMES[seen]} on line ${firstLine}; InfluxDB keeps one type per field`,
    ),

  integerRange: (text: string, keys: FieldKeys, index: number) =>
    valueRange(`integer ${quote(text)} for ${fieldName(keys, index)} is outside the signed 64-bit range`),
  unsignedNegative: (text: string, keys: FieldKeys, index: number) =>
    valueRange(`unsigned integer ${quote(text)} for ${fieldName(keys, index)} is negative`),
  unsignedRange: (text: string, keys: FieldKeys, index: number) =>
    valueRange(`unsigned integer ${quote(text)} for ${fieldName(keys, index)} is outside the 64-bit range`),
  floatRange: (text: string, keys: FieldKeys, index: number) =>
    valueRange(`float ${quote(text)} for ${fieldName(keys, index)} is out of range`),

  untimedOutsideWindow: (nowMs: number) =>
    timestamp(
      `the point has no timestamp and the server time ${isoInstant(Math.floor(nowMs), 0, 0) ?? String(nowMs)} is outside the accepted time window`,
    ),
  timestampRange: (text: string) => timestamp(`timestamp ${quote(text)} is outside the signed 64-bit range`),
};

/** The refusal of a name whose scan failed (see scanName), `part` naming what the name is. */
export function nameRefusal(body: string, n: number, part: string, start: number, scan: NameScan): Refusal {
  const at = scan.errorAt;
  if (isCarriageReturnAt(body, at, n)) return CRLF;
  // Show the name up to the offending character (and the one after a backslash).
  const shown = quote(body.slice(start, Math.min(n, at + (scan.error === ScanError.badEscape ? 2 : 1))));
  const c = at < n ? body.charCodeAt(at) : 0;
  switch (scan.error) {
    case ScanError.badEscape:
      return syntax(
        part === "measurement"
          ? `bad escape in measurement ${shown}: a backslash may only precede "," or " "`
          : `bad escape in ${part} ${shown}: a backslash may only precede ",", "=" or " "`,
      );
    case ScanError.control:
      return syntax(`${part} ${shown} contains the control character U+${c.toString(16).toUpperCase().padStart(4, "0")}`);
    case ScanError.quote:
      return syntax(`${part} ${shown} contains a double quote, which is not accepted in names`);
    case ScanError.equals:
      return syntax(`${part} ${shown} contains an unescaped "=" (write it as "\\=")`);
    default:
      return syntax(`${part} ${shown} contains invalid Unicode (is the body valid UTF-8?)`);
  }
}

/** The time window a timestamp is checked against, in whole milliseconds. */
export interface TimeWindow {
  readonly precision: Precision;
  readonly subDigits: number;
  /** The bounds applied: the caller's, narrowed to what InfluxDB can store. */
  readonly lo: number;
  readonly hi: number;
  /** The caller's bounds (oldestMs rounded up, newestMs rounded down). */
  readonly userLo: number;
  readonly userHi: number;
}

/** The refusal of a timestamp outside the window: msFloor + sub / 10^subDigits ms, written as `raw`. */
export function timeRefusal(raw: string, window: TimeWindow, msFloor: number, sub: number): Refusal {
  const { precision, subDigits, lo, hi, userLo, userHi } = window;
  const shown = isoInstant(msFloor, sub, subDigits) ?? quote(raw);
  const detail = `raw ${quote(raw)} at precision ${precision}`;
  if (msFloor < lo) {
    if (lo === userLo) {
      return timestamp(
        `timestamp ${shown} is older than the retention period (oldest accepted: ${isoInstant(lo, 0, 0) ?? String(lo)}; ${detail})`,
      );
    }
    return timestamp(`timestamp ${shown} is before the earliest time InfluxDB can store (${detail})`);
  }
  if (hi === userHi) {
    return timestamp(`timestamp ${shown} is too far in the future (newest accepted: ${isoInstant(hi, 0, 0) ?? String(hi)}; ${detail})`);
  }
  return timestamp(`timestamp ${shown} is after the latest time InfluxDB can store (${detail})`);
}
