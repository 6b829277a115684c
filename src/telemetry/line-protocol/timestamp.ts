import type { BatchScan } from "./batch-scan.js";
import { CR, DIGIT_0, DIGIT_9, LF, MINUS, SPACE } from "./chars.js";
import { HOUR_MS, INT64_MAX_DIGITS, INT64_MIN_DIGITS } from "./limits.js";
import type { Pair } from "./pairs.js";
import { CRLF, refuse, timeRefusal } from "./refusals.js";
import { compareDigits, lineEnd, tokenEnd } from "./text.js";

/**
 * Scans the optional timestamp of a line from `i` (after its last value) to the line end and checks it against
 * the time window. Returns the index of the line end, or -1 with b.refusal set.
 */
export function scanTimestamp(b: BatchScan, pair: Pair, i: number): number {
  const { body, n } = b;
  let c = i < n ? body.charCodeAt(i) : LF;
  while (c === SPACE) {
    i++;
    c = i < n ? body.charCodeAt(i) : LF;
  }
  if (c === LF) {
    b.untimed++;
    if (!b.nowAccepted) return b.fail(refuse.untimedOutsideWindow(b.options.nowMs));
    return i;
  }
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
    if (c === CR && (i + 1 >= n || body.charCodeAt(i + 1) === LF)) return b.fail(CRLF);
    if (digits > 0 && tsEnd < i) return b.fail(refuse.textAfterTimestamp(body.slice(i, lineEnd(body, i, n))));
    return b.fail(refuse.invalidTimestamp(body.slice(tsStart, tokenEnd(body, tsStart, n))));
  }
  if (digits > 19 || (digits === 19 && compareDigits(body, digitsStart, negative ? INT64_MIN_DIGITS : INT64_MAX_DIGITS) > 0)) {
    return b.fail(refuse.timestampRange(body.slice(tsStart, tsEnd)));
  }
  const { subDigits, subScale, lo, hi } = b;
  const split = digits > subDigits ? tsEnd - subDigits : digitsStart;
  let high = 0;
  for (let k = digitsStart; k < split; k++) high = high * 10 + (body.charCodeAt(k) - DIGIT_0);
  let low = 0;
  for (let k = split; k < tsEnd; k++) low = low * 10 + (body.charCodeAt(k) - DIGIT_0);
  // The instant is msFloor + sub / subScale milliseconds, 0 <= sub < subScale.
  let msFloor = high * b.msPerUnit;
  let sub = low;
  if (negative) {
    msFloor = -msFloor;
    if (low !== 0) {
      msFloor -= 1;
      sub = subScale - low;
    }
  }
  if (msFloor < lo || msFloor > hi || (msFloor === hi && sub !== 0)) {
    return b.fail(timeRefusal(body.slice(tsStart, tsEnd), b, msFloor, sub));
  }
  const hour = Math.floor(msFloor / HOUR_MS);
  if (hour !== pair.lastHour) {
    pair.lastHour = hour;
    pair.hours.add(hour);
  }
  return i;
}
