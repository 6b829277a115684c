import { DIGIT_0 } from "./chars.js";

/** A timestamp precision. "m" (minutes) and "h" (hours) exist in the v1 write API only. */
export type Precision = "ns" | "us" | "ms" | "s" | "m" | "h";

/**
 * Maps the v1 write API's precision names ("n", "u", "ms", "s", "m", "h") and the v2 names ("ns", "us", "ms",
 * "s") to a Precision; "" and undefined mean nanoseconds. Unknown names give undefined.
 */
export function parsePrecision(value: string | undefined): Precision | undefined {
  switch (value) {
    case undefined:
    case "":
    case "n":
    case "ns":
      return "ns";
    case "u":
    case "us":
      return "us";
    case "ms":
      return "ms";
    case "s":
      return "s";
    case "m":
      return "m";
    case "h":
      return "h";
    default:
      return undefined;
  }
}

/**
 * The `precision` query value to send to InfluxDB 1.x's `/write` for a Precision. Forward this, never the
 * client's own spelling: InfluxDB 1.6 reads any name it does not know (such as the v2 name "us") as
 * nanoseconds without an error.
 */
export function influxV1Precision(precision: Precision): "n" | "u" | "ms" | "s" | "m" | "h" {
  switch (precision) {
    case "ns":
      return "n";
    case "us":
      return "u";
    default:
      return precision;
  }
}

/** Digits below the millisecond for each precision. */
export function subMillisecondDigits(precision: Precision): number {
  switch (precision) {
    case "ns":
      return 6;
    case "us":
      return 3;
    case "ms":
    case "s":
    case "m":
    case "h":
      return 0;
    default:
      throw new RangeError(`unknown precision ${String(precision)}`);
  }
}

/** Milliseconds per unit for the precisions of a millisecond or coarser (1 for the finer ones). */
export function millisecondsPerUnit(precision: Precision): number {
  switch (precision) {
    case "s":
      return 1000;
    case "m":
      return 60_000;
    case "h":
      return 3_600_000;
    default:
      return 1;
  }
}

/**
 * ISO 8601 text for msFloor + sub / 10^subDigits milliseconds, with as many fraction digits as needed, or
 * undefined when the instant is beyond what Date can show.
 */
export function isoInstant(msFloor: number, sub: number, subDigits: number): string | undefined {
  if (!(Math.abs(msFloor) <= 8.64e15)) return undefined;
  const iso = new Date(msFloor).toISOString();
  const dot = iso.lastIndexOf(".");
  let fraction = iso.slice(dot + 1, iso.length - 1) + (subDigits > 0 ? String(sub).padStart(subDigits, "0") : "");
  let end = fraction.length;
  while (end > 0 && fraction.charCodeAt(end - 1) === DIGIT_0) end--;
  fraction = fraction.slice(0, end);
  return `${iso.slice(0, dot)}${fraction.length > 0 ? `.${fraction}` : ""}Z`;
}
