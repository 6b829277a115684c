import { BACKSLASH, CharClass, COMMA, DEL, EQUALS, NAME_CLASS, NameKind, QUOTE, SPACE } from "./chars.js";

/** Why a name scan failed. */
export const ScanError = {
  none: 0,
  /** A backslash that starts none of the accepted escapes. */
  badEscape: 1,
  control: 2,
  quote: 3,
  /** An unescaped "=" in a tag value. */
  equals: 4,
  /** An unpaired UTF-16 surrogate or U+FFFD. */
  unicode: 5,
} as const;
export type ScanError = (typeof ScanError)[keyof typeof ScanError];

/** What the last scanName call on it found: one per validation, never shared between two. */
export interface NameScan {
  /** FNV-1a hash of the raw (still escaped) text scanned. */
  hash: number;
  /** Why the scan failed, and where. */
  error: ScanError;
  errorAt: number;
}

export function newNameScan(): NameScan {
  return { hash: 0, error: ScanError.none, errorAt: 0 };
}

// Module-level aliases: the engine folds these into the scan loop as constants (a property read of the const
// objects each time costs a few percent).
const { plain: PLAIN, end: END, equals: EQUALS_SIGN, backslash: ESCAPE, control: CONTROL, quote: DOUBLE_QUOTE } = CharClass;
const { measurement: MEASUREMENT, key: KEY, tagValue: TAG_VALUE } = NameKind;

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/**
 * Scans a name from `i` to the first unescaped terminator ("," " " or "\n"/end, and "=" for keys) and returns
 * the terminator's index, or -1 with scan.error/scan.errorAt set. Sets scan.hash to the FNV-1a hash of the raw
 * (still escaped) text.
 */
export function scanName(body: string, i: number, n: number, kind: NameKind, scan: NameScan): number {
  let h = FNV_OFFSET;
  while (i < n) {
    const c = body.charCodeAt(i);
    const cls = c < 128 ? (NAME_CLASS[c] ?? PLAIN) : c >= 0xd800 ? CharClass.surrogateOrFffd : PLAIN;
    if (cls !== PLAIN) {
      if (cls === END) break;
      if (cls === EQUALS_SIGN) {
        if (kind === KEY) break;
        if (kind === TAG_VALUE) return scanFailed(scan, ScanError.equals, i);
      } else if (cls === ESCAPE) {
        const d = i + 1 < n ? body.charCodeAt(i + 1) : -1;
        if (d === COMMA || d === SPACE || (d === EQUALS && kind !== MEASUREMENT)) {
          h = Math.imul(Math.imul(h ^ c, FNV_PRIME) ^ d, FNV_PRIME);
          i += 2;
          continue;
        }
        return scanFailed(scan, ScanError.badEscape, i);
      } else if (cls === CONTROL) {
        return scanFailed(scan, ScanError.control, i);
      } else if (cls === DOUBLE_QUOTE) {
        return scanFailed(scan, ScanError.quote, i);
      } else {
        if (c === 0xfffd || (c >= 0xdc00 && c <= 0xdfff)) return scanFailed(scan, ScanError.unicode, i);
        if (c <= 0xdbff) {
          const d = i + 1 < n ? body.charCodeAt(i + 1) : -1;
          if (d < 0xdc00 || d > 0xdfff) return scanFailed(scan, ScanError.unicode, i);
          h = Math.imul(Math.imul(h ^ c, FNV_PRIME) ^ d, FNV_PRIME);
          i += 2;
          continue;
        }
      }
    }
    h = Math.imul(h ^ c, FNV_PRIME);
    i++;
  }
  scan.hash = h;
  return i;
}

function scanFailed(scan: NameScan, error: ScanError, at: number): number {
  scan.error = error;
  scan.errorAt = at;
  return -1;
}

export function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

export function slotOfHash(h: number, mask: number): number {
  return (h ^ (h >>> 15)) & mask;
}

export function pairHash(measurementHash: number, assetHash: number): number {
  return Math.imul(measurementHash ^ (assetHash >>> 7), FNV_PRIME) ^ assetHash;
}

/** A key as it must appear in a line: ",", "=" and " " escaped. */
export function escapeKey(name: string): string {
  let out = "";
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === COMMA || c === EQUALS || c === SPACE) out += "\\";
    out += name[i];
  }
  return out;
}

/** A name as written, its escapes resolved. */
export function unescapeName(raw: string): string {
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

/** True when a key could appear in a line this validator accepts (see scanName). */
export function isWritableName(name: string): boolean {
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
