import type { Precision } from "./precision.js";

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
 * Why a batch is refused:
 * - "syntax": the line is not line protocol as accepted here (bad escapes or characters in a name, a missing
 *   part, a value or timestamp that is not a number or boolean, "\r\n" line endings, odd comments);
 * - "tag": a tag rule (the `asset` tag missing or repeated, a duplicate tag, the reserved tag key "time");
 * - "field": a field key that is not a sensor of the asset, is reserved or repeated within the line;
 * - "field-type": a value of another type than the sensor stores or than earlier in the batch, a string, an
 *   unsigned integer where those are not accepted;
 * - "value-range": a number outside what its type holds;
 * - "timestamp": a point outside the accepted time window (retention, clock skew, what InfluxDB can store);
 * - "too-large": a tag key or value, the number of tags or the series key over its limit;
 * - "empty": the body holds no points;
 * - "unknown-asset" and "target": the resolver refused the (measurement, asset) pair (see TargetRefusal).
 */
export type RefusalKind =
  | "syntax"
  | "tag"
  | "field"
  | "field-type"
  | "value-range"
  | "timestamp"
  | "too-large"
  | "empty"
  | TargetRefusalKind;

/** A refusal: its kind, and what is wrong in words (without the "line N: " prefix). */
export interface Refusal {
  readonly kind: RefusalKind;
  readonly reason: string;
}

/** "unknown-asset": the writer knows no such asset; "target": it may not write this pair for another reason. */
export type TargetRefusalKind = "unknown-asset" | "target";

export interface TargetRefusal extends Refusal {
  readonly kind: TargetRefusalKind;
}

/**
 * Decides per line whether measurement + asset tag value name an asset the writer may write: a LineTarget, or a
 * refusal of the line. A plain string is a refusal of kind "target" with that reason. Called once per distinct
 * (measurement, asset) pair per batch, with the unescaped names.
 */
export type ResolveTarget = (measurement: string, asset: string) => LineTarget | TargetRefusal | string;

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
 * body as a whole is at fault), `kind` says which rule refused it and `reason` says what is wrong without the
 * "line N: " prefix.
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
  | {
      readonly ok: false;
      readonly line: number /* 1-based physical line number in the body */;
      readonly kind: RefusalKind;
      readonly reason: string;
    };
