/** The ranges the picker offers: the last hour … year up to now, or two chosen times. */
export const RANGES = ["hour", "day", "week", "month", "year", "custom"] as const;
export type RangeKey = (typeof RANGES)[number];

const SPANS: Record<Exclude<RangeKey, "custom">, number> = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
};

export const isRangeKey = (value: unknown): value is RangeKey => typeof value === "string" && (RANGES as readonly string[]).includes(value);

export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

/** The range a key names, ending at `now` (a custom range carries its own times). */
export function resolveRange(key: RangeKey, now: number, custom: { from?: string; to?: string }): TimeRange | undefined {
  if (key === "custom") {
    const from = custom.from ? new Date(custom.from) : undefined;
    const to = custom.to ? new Date(custom.to) : undefined;
    if (!from || !to || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) return undefined;
    return { from, to };
  }
  return { from: new Date(now - SPANS[key]), to: new Date(now) };
}
