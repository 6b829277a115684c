/**
 * Validation of InfluxDB line protocol batches before they are forwarded, unchanged, to InfluxDB 1.6.
 *
 * InfluxDB 1.x writes the good lines of a batch and drops the bad ones ("partial write"), so a batch must be
 * checked as a whole first. The validator is deliberately at least as strict as the server's parser: every
 * line it accepts is accepted by InfluxDB 1.6, and it refuses some odd but legal spellings (listed below).
 *
 * Grammar accepted here, per physical line (lines end with "\n"):
 *
 *   [spaces/tabs] measurement[,tagKey=tagValue...] SP+ fieldKey=value[,fieldKey=value...] [SP+ timestamp] [SP*]
 *
 * - blank lines (spaces/tabs only) and comment lines (first non-blank character "#") are skipped;
 * - measurement: escapes "\," and "\ "; tag keys, tag values and field keys: escapes "\,", "\=" and "\ ";
 * - values: float (`-1.5`, `.5`, `5.`, `1e-3`), integer `12i` (signed 64-bit), boolean
 *   (t, T, true, True, TRUE, f, F, false, False, FALSE); unsigned `12u` only with `allowUnsigned`;
 * - timestamp: optional "-" and 1 to 19 digits, read in the batch precision.
 *
 * Stricter than InfluxDB 1.6 on purpose:
 * - "\r" outside comments is refused: InfluxDB 1.6 does not understand "\r\n" line endings (it rejects such
 *   lines as "invalid number", "bad timestamp" or "missing fields");
 * - a backslash in a name must start one of the escapes above (so "\\", "\"" and a backslash before a line
 *   break, which InfluxDB would read as a continued line, are refused); comments may not hold '"' or "\"
 *   since InfluxDB's line splitter would treat them as quoting/escaping the line break;
 * - names (measurement, tag keys and values, field keys) may not hold '"', control characters, unpaired
 *   UTF-16 surrogates or U+FFFD;
 * - an unescaped "=" anywhere in a tag value is refused (InfluxDB lets one through as the first character);
 * - tag key "time" and field key "time" are refused (InfluxDB drops those points in a partial write);
 * - string fields, unsigned values (InfluxDB 1.x OSS refuses them anyway unless `allowUnsigned`), duplicate
 *   field keys in a line, and a field written with two different types within one batch are refused;
 * - integers and timestamps with more than 19 digits (20 for unsigned) are refused even if they are only
 *   long because of leading zeros; tabs are not accepted as separators between the sections;
 * - the series key (measurement, tags and a field key) must stay within InfluxDB's 65,535 byte limit;
 * - at most `maxTags` tags besides `asset` (default 8), tag keys of at most 128 and tag values of at most 256
 *   characters (as written, escapes included); fields per point are bounded by the asset type's sensors (at
 *   most 500), each at most once.
 *
 * A refused batch gets the first bad line, a RefusalKind and a message. A valid batch also reports its distinct series (measurement + sorted tag set, as written) with the first line
 * of each, so the caller can count new series against the tenant's budget before anything is written.
 */

export { MAX_TAG_KEY_CHARS, MAX_TAG_VALUE_CHARS } from "./line-protocol/limits.js";
export { influxV1Precision, type Precision, parsePrecision } from "./line-protocol/precision.js";
export type {
  BatchOptions,
  BatchResult,
  FieldType,
  LineTarget,
  Refusal,
  RefusalKind,
  ResolveTarget,
  TargetRefusal,
  TargetRefusalKind,
} from "./line-protocol/types.js";
export { validateBatch } from "./line-protocol/validate.js";
