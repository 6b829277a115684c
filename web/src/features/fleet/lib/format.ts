const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const exact = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium" });
const whole = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });

const STEPS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 30],
  ["month", 12],
  ["year", Number.POSITIVE_INFINITY],
];

/** "3 minutes ago", "yesterday": the largest unit that fits. */
export function ago(iso: string, now: number): string {
  let value = (Date.parse(iso) - now) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return relative.format(Math.round(value), "year");
}

/** The exact time in the browser's zone, with the zone's offset spelled out by the ISO form. */
export const exactTime = (iso: string): string => `${exact.format(new Date(iso))} (${iso})`;

export const count = (n: number): string => whole.format(n);

/** Remaining life in cycles, rounded: the interval's bounds are shown with it. */
export const cycles = (n: number): string => whole.format(n);

export const ALERT_KINDS: Record<string, string> = {
  rul_low: "Remaining life low",
  anomaly: "Anomaly",
};
