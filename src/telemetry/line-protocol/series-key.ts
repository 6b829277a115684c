import type { BatchScan } from "./batch-scan.js";
import { COMMA, CR, EQUALS, LF, NameKind, SPACE } from "./chars.js";
import { fieldKeysOf, newFieldUse } from "./field-table.js";
import { MAX_TAG_KEY_CHARS, MAX_TAG_VALUE_CHARS } from "./limits.js";
import { pairHash, scanName, unescapeName } from "./names.js";
import type { Pair } from "./pairs.js";
import { CRLF, nameRefusal, quote, refuse } from "./refusals.js";
import { isCarriageReturnAt, lineEnd, sameText } from "./text.js";

/**
 * Scans the measurement and tags of a line from `i` (its first non-blank character) and checks the tag rules.
 * Returns the index of the space after them, with b.mStart … b.assetHash set, or -1 with b.refusal set.
 */
export function scanSeriesKey(b: BatchScan, i: number): number {
  const { body, n, scan, tags, tagCapacity } = b;
  const mStart = i;
  let c = body.charCodeAt(i);
  if (c === COMMA) return b.fail(refuse.missingMeasurement(body.slice(i, lineEnd(body, i, n))));
  i = scanName(body, i, n, NameKind.measurement, scan);
  if (i < 0) return b.fail(nameRefusal(body, n, "measurement", mStart, scan));
  const mEnd = i;
  const mHash = scan.hash;
  c = i < n ? body.charCodeAt(i) : LF;

  let tagCount = 0;
  let assetTag = -1;
  let assetHash = 0;
  while (c === COMMA) {
    i++;
    const kStart = i;
    i = scanName(body, i, n, NameKind.key, scan);
    if (i < 0) return b.fail(nameRefusal(body, n, "tag key", kStart, scan));
    if (i === kStart) {
      if (isCarriageReturnAt(body, i, n)) return b.fail(CRLF);
      return b.fail(refuse.missingTagKey(body.slice(mStart, i)));
    }
    const kEnd = i;
    c = i < n ? body.charCodeAt(i) : LF;
    if (c !== EQUALS) return b.fail(refuse.tagWithoutValue(body.slice(kStart, kEnd)));
    i++;
    const vStart = i;
    i = scanName(body, i, n, NameKind.tagValue, scan);
    if (i < 0) return b.fail(nameRefusal(body, n, `value of tag ${quote(body.slice(kStart, kEnd))}`, vStart, scan));
    if (i === vStart) {
      if (isCarriageReturnAt(body, i, n)) return b.fail(CRLF);
      return b.fail(refuse.tagWithoutValue(body.slice(kStart, kEnd)));
    }
    if (kEnd - kStart > MAX_TAG_KEY_CHARS) return b.fail(refuse.longTagKey(body.slice(kStart, kEnd)));
    if (i - vStart > MAX_TAG_VALUE_CHARS) return b.fail(refuse.longTagValue(body.slice(kStart, kEnd)));
    // Room for maxTags tags plus asset: one more is too many (and a line without asset is refused below anyway).
    if (tagCount === tagCapacity) return b.fail(refuse.tooManyTags(b.maxTags));
    const t = tagCount * 4;
    tags[t] = kStart;
    tags[t + 1] = kEnd;
    tags[t + 2] = vStart;
    tags[t + 3] = i;
    const keyLength = kEnd - kStart;
    if (keyLength === 5 && body.startsWith("asset", kStart)) {
      if (assetTag >= 0) return b.fail(refuse.duplicateAsset());
      assetTag = tagCount;
      assetHash = scan.hash;
    } else if (keyLength === 4 && body.startsWith("time", kStart)) {
      return b.fail(refuse.reservedTagKey());
    }
    tagCount++;
    c = i < n ? body.charCodeAt(i) : LF;
  }
  const keyEnd = i;
  if (c !== SPACE) {
    if (c === CR) return b.fail(CRLF);
    return b.fail(refuse.missingFieldsAfter(body.slice(mStart, keyEnd)));
  }

  // Tag rules.
  for (let a = 1; a < tagCount; a++) {
    const aStart = tags[a * 4] ?? 0;
    const aEnd = tags[a * 4 + 1] ?? 0;
    for (let k = 0; k < a; k++) {
      if (sameText(body, aStart, aEnd, tags[k * 4] ?? 0, tags[k * 4 + 1] ?? 0)) {
        return b.fail(refuse.duplicateTag(body.slice(aStart, aEnd)));
      }
    }
  }
  if (assetTag < 0) return b.fail(refuse.missingAsset());

  b.mStart = mStart;
  b.mEnd = mEnd;
  b.mHash = mHash;
  b.tagCount = tagCount;
  b.assetTag = assetTag;
  b.assetHash = assetHash;
  return keyEnd;
}

/**
 * The (measurement, asset) pair of the line scanSeriesKey found, resolved once per batch, with the line's series
 * recorded; undefined with b.refusal set when the resolver refuses it.
 */
export function pairOfLine(b: BatchScan): Pair | undefined {
  const { body, tags, mStart, mEnd, assetTag } = b;
  const aStart = tags[assetTag * 4 + 2] ?? 0;
  const aEnd = tags[assetTag * 4 + 3] ?? 0;
  const h = pairHash(b.mHash, b.assetHash);
  const pair = b.pairs.find(h, body, mStart, mEnd - mStart, aStart, aEnd - aStart) ?? resolvePair(b, h, aStart, aEnd);
  if (pair === undefined) return undefined;
  // Its series: the pair itself when `asset` is the only tag (the common case, no allocation).
  if (b.tagCount === 1) {
    if (pair.bareLine === 0) pair.bareLine = b.lineNo;
  } else {
    const key = seriesKey(body, mStart, mEnd, tags, b.tagCount);
    if (!b.taggedSeries.has(key)) b.taggedSeries.set(key, b.lineNo);
  }
  return pair;
}

function resolvePair(b: BatchScan, h: number, aStart: number, aEnd: number): Pair | undefined {
  const rawMeasurement = b.body.slice(b.mStart, b.mEnd);
  const rawAsset = b.body.slice(aStart, aEnd);
  const asset = unescapeName(rawAsset);
  const target = b.resolve(unescapeName(rawMeasurement), asset);
  if (typeof target === "string") {
    b.fail({ kind: "target", reason: target });
    return undefined;
  }
  if (!("fields" in target)) {
    b.fail({ kind: target.kind, reason: target.reason });
    return undefined;
  }
  let fields = b.fieldUses.get(target);
  if (fields === undefined) {
    fields = newFieldUse(fieldKeysOf(target));
    b.fieldUses.set(target, fields);
  }
  let measurement = b.measurements.get(rawMeasurement);
  if (measurement === undefined) {
    measurement = { slotByField: new Map(), types: [], firstLine: [] };
    b.measurements.set(rawMeasurement, measurement);
  }
  const typeSlot = new Int32Array(fields.keys.names.length);
  for (const [f, name] of fields.keys.names.entries()) {
    let slot = measurement.slotByField.get(name);
    if (slot === undefined) {
      slot = measurement.types.length;
      measurement.slotByField.set(name, slot);
      measurement.types.push(0);
      measurement.firstLine.push(0);
    }
    typeSlot[f] = slot;
  }
  const pair: Pair = {
    rawMeasurement,
    rawAsset,
    asset,
    fields,
    typeSlot,
    measurement,
    points: 0,
    bareLine: 0,
    hours: new Set<number>(),
    lastHour: Number.NaN,
  };
  b.pairs.add(h, pair);
  return pair;
}

/** Measurement and tags sorted by key, as written (escapes make this text unambiguous). */
function seriesKey(body: string, mStart: number, mEnd: number, tags: Int32Array, tagCount: number): string {
  const parts: string[] = [];
  for (let t = 0; t < tagCount; t++) parts.push(body.slice(tags[t * 4] ?? 0, tags[t * 4 + 3] ?? 0));
  parts.sort();
  return `${body.slice(mStart, mEnd)},${parts.join(",")}`;
}
