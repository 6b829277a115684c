/** Limits of the line protocol validator, most of them InfluxDB 1.6's own. */

export const HOUR_MS = 3_600_000;

/** InfluxDB's limit on measurement + tags + field key ("series key"), in bytes. */
export const MAX_SERIES_KEY_BYTES = 65535;
/** Length of the separator InfluxDB puts between series key and field key when it counts the limit above. */
export const FIELD_KEY_SEPARATOR_BYTES = 4;
/**
 * InfluxDB stores times in [-2^63 + 2, 2^63 - 2] ns. These bounds, in ms, lie a little inside that range so that
 * any sub-millisecond part still fits.
 */
export const STORABLE_MIN_MS = -9223372036853;
export const STORABLE_MAX_MS = 9223372036853;
export const INT64_MAX_DIGITS = "9223372036854775807";
export const INT64_MIN_DIGITS = "9223372036854775808";
export const UINT64_MAX_DIGITS = "18446744073709551615";
/** Above this many integer digits (without an exponent) a float could overflow to Infinity. */
export const FLOAT_SAFE_DIGITS = 300;
/** Longest part of a line quoted in a message, in characters. */
export const QUOTE_LIMIT = 60;
export const DEFAULT_MAX_TAGS = 8;
/** Longest tag key and tag value accepted, in characters as written. */
export const MAX_TAG_KEY_CHARS = 128;
export const MAX_TAG_VALUE_CHARS = 256;
