import { escapeKey, hashString, isWritableName, slotOfHash } from "./names.js";
import type { LineTarget } from "./types.js";

/** The type of a field value; `any` for a sensor that declares none. */
export const ValueType = { any: 0, float: 1, integer: 2, unsigned: 3, boolean: 4 } as const;
export type ValueType = (typeof ValueType)[keyof typeof ValueType];

/** A target's field keys, hashed so that raw keys in a line match without allocating. Read-only once built. */
export interface FieldKeys {
  readonly target: LineTarget;
  /** The sensors' keys as they must appear in a line (escaped). */
  readonly raw: readonly string[];
  /** The sensors' keys. */
  readonly names: readonly string[];
  /** Per field, the declared ValueType. */
  readonly declared: Int8Array;
  readonly mask: number;
  readonly slotHash: Int32Array;
  /** Index into raw + 1; 0 = empty slot. */
  readonly slotIndex: Int32Array;
}

/** One batch's use of a target's keys: the only mutable part, never shared between two validations. */
export interface FieldUse {
  readonly keys: FieldKeys;
  /** Per field, the line it was last seen on (duplicate detection). */
  readonly seenOnLine: Int32Array;
  /** Field indexes in the order of the last accepted line using these keys, to predict the next line's keys. */
  readonly order: Int32Array;
  orderLength: number;
}

/**
 * Field keys outlive a batch as long as their target does (callers cache targets), so a busy device does not
 * rebuild them per request. They are read-only: two validations may use the same keys at once.
 */
const cache = new WeakMap<LineTarget, FieldKeys>();

export function fieldKeysOf(target: LineTarget): FieldKeys {
  let keys = cache.get(target);
  if (keys === undefined) {
    keys = buildFieldKeys(target);
    cache.set(target, keys);
  }
  return keys;
}

export function newFieldUse(keys: FieldKeys): FieldUse {
  return { keys, seenOnLine: new Int32Array(keys.raw.length), order: new Int32Array(keys.raw.length), orderLength: 0 };
}

/** The field index of the raw key body[start, start + length) with hash h, or -1. */
export function findField(keys: FieldKeys, h: number, body: string, start: number, length: number): number {
  const { raw, slotHash, slotIndex, mask } = keys;
  let s = slotOfHash(h, mask);
  for (;;) {
    const entry = slotIndex[s] ?? 0;
    if (entry === 0) return -1;
    if (slotHash[s] === h) {
      const key = raw[entry - 1];
      if (key !== undefined && key.length === length && body.startsWith(key, start)) return entry - 1;
    }
    s = (s + 1) & mask;
  }
}

function buildFieldKeys(target: LineTarget): FieldKeys {
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
    declared[index] =
      t === "float" ? ValueType.float : t === "integer" ? ValueType.integer : t === "boolean" ? ValueType.boolean : ValueType.any;
  });
  return { target, raw, names, declared, mask, slotHash, slotIndex };
}
