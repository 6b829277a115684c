import { COMMA, CR, LF, SPACE } from "./chars.js";

/** Index of the next ",", " " or "\n" (or the end) from i. */
export function tokenEnd(body: string, i: number, n: number): number {
  while (i < n) {
    const c = body.charCodeAt(i);
    if (c === COMMA || c === SPACE || c === LF) break;
    i++;
  }
  return i;
}

/** Index of the next "\n" (or the end) from i. */
export function lineEnd(body: string, i: number, n: number): number {
  const nl = body.indexOf("\n", i);
  return nl < 0 ? n : nl;
}

export function isCarriageReturnAt(body: string, i: number, n: number): boolean {
  return i < n && body.charCodeAt(i) === CR;
}

/** Compares body[start, start + ref.length) with a digit string of the same length. */
export function compareDigits(body: string, start: number, ref: string): number {
  for (let k = 0; k < ref.length; k++) {
    const d = body.charCodeAt(start + k) - ref.charCodeAt(k);
    if (d !== 0) return d;
  }
  return 0;
}

export function sameText(body: string, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let k = 0; k < aEnd - aStart; k++) {
    if (body.charCodeAt(aStart + k) !== body.charCodeAt(bStart + k)) return false;
  }
  return true;
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
