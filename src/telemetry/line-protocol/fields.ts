import type { BatchScan } from "./batch-scan.js";
import {
  COMMA,
  CR,
  DIGIT_0,
  DIGIT_9,
  DOT,
  EQUALS,
  LF,
  LOWER_E,
  LOWER_F,
  LOWER_I,
  LOWER_T,
  LOWER_U,
  MINUS,
  NameKind,
  PLUS,
  QUOTE,
  SPACE,
  UPPER_E,
  UPPER_F,
  UPPER_T,
} from "./chars.js";
import { type FieldKeys, findField, ValueType } from "./field-table.js";
import {
  FIELD_KEY_SEPARATOR_BYTES,
  FLOAT_SAFE_DIGITS,
  INT64_MAX_DIGITS,
  INT64_MIN_DIGITS,
  MAX_SERIES_KEY_BYTES,
  UINT64_MAX_DIGITS,
} from "./limits.js";
import { scanName, unescapeName } from "./names.js";
import type { Pair } from "./pairs.js";
import { CRLF, nameRefusal, refuse } from "./refusals.js";
import { compareDigits, isCarriageReturnAt, lineEnd, tokenEnd, utf8Length } from "./text.js";

// Module-level aliases: the engine folds these into the loop as constants.
const { any: ANY, float: FLOAT, integer: INTEGER, unsigned: UNSIGNED, boolean: BOOLEAN } = ValueType;

/**
 * Scans the fields of a line from `i` (the space after its tags) and checks each key and value type. Returns the
 * index after the last value, or -1 with b.refusal set.
 */
export function scanFields(b: BatchScan, pair: Pair, i: number): number {
  const { body, n, scan } = b;
  const fieldUse = pair.fields;
  const keys = fieldUse.keys;
  const { raw: rawKeys, declared } = keys;
  const { seenOnLine, order } = fieldUse;
  const { types, firstLine } = pair.measurement;
  const typeSlot = pair.typeSlot;
  const lineNo = b.lineNo;
  const mStart = b.mStart;
  const keyEnd = i;
  const seriesKeyLength = keyEnd - mStart;
  const predicted = fieldUse.orderLength;
  let fieldCount = 0;

  let c = SPACE;
  while (c === SPACE) {
    i++;
    c = i < n ? body.charCodeAt(i) : LF;
  }
  if (c === LF || c === CR) {
    if (c === CR) return b.fail(CRLF);
    return b.fail(refuse.missingFields());
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
      i = scanName(body, i, n, NameKind.key, scan);
      if (i < 0) return b.fail(nameRefusal(body, n, "field key", fStart, scan));
      if (i === fStart) {
        if (isCarriageReturnAt(body, i, n)) return b.fail(CRLF);
        return b.fail(refuse.missingFieldKey(body.slice(i, lineEnd(body, i, n))));
      }
      if (i >= n || body.charCodeAt(i) !== EQUALS) return b.fail(refuse.rawFieldWithoutValue(body.slice(fStart, i)));
      field = findField(keys, scan.hash, body, fStart, i - fStart);
    }
    const fEnd = i;
    const fLength = fEnd - fStart;
    if (field < 0) return b.fail(refuse.unknownField(keys, unescapeName(body.slice(fStart, fEnd))));
    if (seenOnLine[field] === lineNo) return b.fail(refuse.duplicateField(keys, field));
    seenOnLine[field] = lineNo;
    order[fieldCount] = field;
    fieldCount++;
    if ((seriesKeyLength + fLength) * 3 + FIELD_KEY_SEPARATOR_BYTES > MAX_SERIES_KEY_BYTES) {
      const bytes = utf8Length(body.slice(mStart, keyEnd)) + FIELD_KEY_SEPARATOR_BYTES + utf8Length(body.slice(fStart, fEnd));
      if (bytes > MAX_SERIES_KEY_BYTES) return b.fail(refuse.longSeriesKey(body.slice(fStart, fEnd), bytes));
    }

    // Its value: a number here (the hot path), anything else in scanOtherValue.
    i++;
    const vStart = i;
    c = i < n ? body.charCodeAt(i) : LF;
    let type: ValueType = FLOAT;
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
            return b.fail(refuse.integerRange(body.slice(vStart, i + 1), keys, field));
          }
          type = INTEGER;
          i++;
          c = i < n ? body.charCodeAt(i) : LF;
        }
      } else if (c === LOWER_U) {
        if (decimalPoint || exponent) c = -1;
        else {
          const shown = body.slice(vStart, i + 1);
          if (!b.allowUnsigned) return b.fail(refuse.unsignedNotSupported(shown, keys, field));
          if (negative) return b.fail(refuse.unsignedNegative(shown, keys, field));
          if (intDigits > 20 || (intDigits === 20 && compareDigits(body, intStart, UINT64_MAX_DIGITS) > 0)) {
            return b.fail(refuse.unsignedRange(shown, keys, field));
          }
          type = UNSIGNED;
          i++;
          c = i < n ? body.charCodeAt(i) : LF;
        }
      } else {
        if ((exponent || intDigits > FLOAT_SAFE_DIGITS) && (c === COMMA || c === SPACE || c === LF)) {
          if (!Number.isFinite(Number(body.slice(vStart, i)))) return b.fail(refuse.floatRange(body.slice(vStart, i), keys, field));
        }
      }
      if (c !== COMMA && c !== SPACE && c !== LF) {
        if (c === CR && (i + 1 >= n || body.charCodeAt(i + 1) === LF)) return b.fail(CRLF);
        return b.fail(refuse.invalidValue(body.slice(vStart, tokenEnd(body, vStart, n)), keys, field));
      }
    } else {
      i = scanOtherValue(b, keys, field, i, c);
      if (i < 0) return -1;
      type = BOOLEAN;
      c = i < n ? body.charCodeAt(i) : LF;
    }

    // The sensor's declared type, then one type per field and measurement within the batch.
    const declaredType = (declared[field] ?? 0) as ValueType;
    if (declaredType !== ANY && declaredType !== type) return b.fail(refuse.declaredType(keys, field, type, declaredType));
    const slot = typeSlot[field] ?? 0;
    const seen = types[slot] ?? 0;
    if (seen !== type) {
      if (seen !== 0) return b.fail(refuse.typeConflict(keys, field, type, seen, firstLine[slot] ?? 0));
      types[slot] = type;
      firstLine[slot] = lineNo;
    }

    if (c === COMMA) {
      i++;
      continue;
    }
    break;
  }
  fieldUse.orderLength = fieldCount;
  return i;
}

/**
 * Scans a value that does not start like a number from i, its first character c: a boolean (the index after it),
 * or -1 with b.refusal set.
 */
function scanOtherValue(b: BatchScan, keys: FieldKeys, field: number, i: number, c: number): number {
  const { body, n } = b;
  if (c === LOWER_T || c === UPPER_T || c === LOWER_F || c === UPPER_F) {
    const end = tokenEnd(body, i, n);
    const length = end - i;
    let valid = length === 1;
    if (length === 4) {
      valid = body.startsWith("true", i) || body.startsWith("True", i) || body.startsWith("TRUE", i);
    } else if (length === 5) {
      valid = body.startsWith("false", i) || body.startsWith("False", i) || body.startsWith("FALSE", i);
    }
    if (!valid) {
      if (body.charCodeAt(end - 1) === CR) return b.fail(CRLF);
      return b.fail(refuse.invalidValue(body.slice(i, end), keys, field));
    }
    return end;
  }
  if (c === QUOTE) return b.fail(refuse.stringField(keys, field));
  if (c === COMMA || c === SPACE || c === LF) return b.fail(refuse.fieldWithoutValue(keys, field));
  if (c === CR) return b.fail(CRLF);
  return b.fail(refuse.invalidValue(body.slice(i, tokenEnd(body, i, n)), keys, field));
}
