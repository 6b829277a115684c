import type { Translate } from "../../../lib/i18n";
import type { telemetryMessages } from "../messages";

/** The API's bounds (src/telemetry/queries.ts): values per answer, and the largest window. */
export const MAX_VALUES = 100_000;
const MAX_WINDOW_SECONDS = 366 * 86_400;
/** At most this many points per horizontal pixel and series: more would not be seen. */
export const POINTS_PER_PIXEL = 2;

/** Round window lengths, so that neighbouring ranges share windows and axes read well. */
const STEPS = [
  1,
  2,
  5,
  10,
  15,
  30,
  60,
  120,
  300,
  600,
  900,
  1_800,
  3_600,
  7_200,
  10_800,
  21_600,
  43_200,
  86_400,
  2 * 86_400,
  7 * 86_400,
  14 * 86_400,
  30 * 86_400,
  91 * 86_400,
  182 * 86_400,
  MAX_WINDOW_SECONDS,
];

/**
 * The window (seconds) for a range drawn `widthPx` wide: the smallest round step that yields at most
 * POINTS_PER_PIXEL windows per pixel and, over all sensors, at most MAX_VALUES values.
 */
export function windowFor(rangeMs: number, widthPx: number, sensors: number): number {
  const most = Math.max(1, Math.min(Math.floor(widthPx * POINTS_PER_PIXEL), Math.floor(MAX_VALUES / Math.max(1, sensors))));
  const least = Math.max(1, Math.ceil(rangeMs / 1000 / most));
  return STEPS.find((s) => s >= least) ?? MAX_WINDOW_SECONDS;
}

/** A window length in words: "5 min", "6 h", "1 day" (German: "5 Min.", "6 Std.", "1 Tag"). */
export function windowLabel(t: Translate<keyof (typeof telemetryMessages)["en"]>, seconds: number): string {
  if (seconds % 86_400 === 0) return t.plural("window.days", seconds / 86_400);
  if (seconds % 3_600 === 0) return t("window.hours", { n: seconds / 3_600 });
  if (seconds % 60 === 0) return t("window.minutes", { n: seconds / 60 });
  return t("window.seconds", { n: seconds });
}
