import type { FieldUse } from "./field-table.js";
import { slotOfHash } from "./names.js";

/** Field types seen per measurement in one batch (InfluxDB keeps one type per field). */
export interface MeasurementTypes {
  readonly slotByField: Map<string, number>;
  /** Per slot, the ValueType seen first (0 = not yet). */
  readonly types: number[];
  readonly firstLine: number[];
}

/** A (measurement, asset) pair resolved in one batch. */
export interface Pair {
  readonly rawMeasurement: string;
  readonly rawAsset: string;
  readonly asset: string;
  readonly fields: FieldUse;
  /** Field index in fields.keys → slot in measurement.types. */
  readonly typeSlot: Int32Array;
  readonly measurement: MeasurementTypes;
  points: number;
  /** First line of this pair without other tags than `asset` (its series), 0 if none. */
  bareLine: number;
  /** Hours of its timestamped points; `lastHour` spares the set a lookup per point of sorted batches. */
  readonly hours: Set<number>;
  lastHour: number;
}

/** The pairs of one batch, found by hash and raw text without allocating. */
export class PairTable {
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
