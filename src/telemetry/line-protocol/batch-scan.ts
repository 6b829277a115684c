import type { FieldUse } from "./field-table.js";
import { DEFAULT_MAX_TAGS, STORABLE_MAX_MS, STORABLE_MIN_MS } from "./limits.js";
import { newNameScan } from "./names.js";
import { type MeasurementTypes, PairTable } from "./pairs.js";
import { millisecondsPerUnit, type Precision, subMillisecondDigits } from "./precision.js";
import { EMPTY, type TimeWindow } from "./refusals.js";
import type { BatchOptions, LineTarget, Refusal, ResolveTarget } from "./types.js";

/**
 * The state of one validation. Everything mutable the scanner uses lives here (or in what it creates), so two
 * validations never share state, not even one started from within the other's `resolve`.
 */
export class BatchScan implements TimeWindow {
  readonly n: number;
  readonly precision: Precision;
  readonly subDigits: number;
  readonly msPerUnit: number;
  /** 10^subDigits. */
  readonly subScale: number;
  readonly maxTags: number;
  /** Room for maxTags tags plus asset. */
  readonly tagCapacity: number;
  readonly allowUnsigned: boolean;
  readonly userLo: number;
  readonly userHi: number;
  readonly lo: number;
  readonly hi: number;
  /** Whether a point without a timestamp (the server's time) is inside the window. */
  readonly nowAccepted: boolean;

  /** What the last name scan found. */
  readonly scan = newNameScan();
  /** Per tag of the current line: key start, key end, value start, value end. */
  readonly tags: Int32Array;
  readonly pairs = new PairTable();
  readonly fieldUses = new Map<LineTarget, FieldUse>();
  readonly measurements = new Map<string, MeasurementTypes>();
  /** Series with tags besides `asset` → first line (those with `asset` only are counted on their pair). */
  readonly taggedSeries = new Map<string, number>();

  lineNo = 0;
  points = 0;
  untimed = 0;
  /** Why the batch is refused, once a step returned -1. */
  refusal: Refusal = EMPTY;

  /** The current line's measurement and tags, as found by scanSeriesKey. */
  mStart = 0;
  mEnd = 0;
  mHash = 0;
  tagCount = 0;
  assetTag = -1;
  assetHash = 0;

  constructor(
    readonly body: string,
    readonly resolve: ResolveTarget,
    readonly options: BatchOptions,
  ) {
    this.n = body.length;
    this.precision = options.precision;
    this.subDigits = subMillisecondDigits(this.precision);
    this.msPerUnit = millisecondsPerUnit(this.precision);
    this.subScale = this.subDigits === 6 ? 1_000_000 : this.subDigits === 3 ? 1000 : 1;
    const maxTags = options.maxTags ?? DEFAULT_MAX_TAGS;
    if (!Number.isInteger(maxTags) || maxTags < 0) throw new RangeError(`maxTags must be a whole number ≥ 0, not ${maxTags}`);
    this.maxTags = maxTags;
    this.allowUnsigned = options.allowUnsigned === true;
    if (Number.isNaN(options.oldestMs) || Number.isNaN(options.newestMs) || !Number.isFinite(options.nowMs)) {
      throw new RangeError("nowMs, oldestMs and newestMs must be numbers");
    }
    this.userLo = Math.ceil(options.oldestMs);
    this.userHi = Math.floor(options.newestMs);
    this.lo = Math.max(this.userLo, STORABLE_MIN_MS);
    this.hi = Math.min(this.userHi, STORABLE_MAX_MS);
    this.nowAccepted = options.nowMs >= this.lo && options.nowMs <= this.hi;
    this.tagCapacity = maxTags + 1;
    this.tags = new Int32Array(this.tagCapacity * 4);
  }

  /** Records why the batch is refused; returns -1, the steps' "refused" index. */
  fail(refusal: Refusal): -1 {
    this.refusal = refusal;
    return -1;
  }
}
