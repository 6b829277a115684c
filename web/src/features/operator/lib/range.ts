/** The periods the finance views offer, in UTC whole hours as the API counts usage. */
export const PERIODS = ["thisMonth", "lastMonth", "last24h", "last7d"] as const;
export type Period = (typeof PERIODS)[number];

const HOUR_MS = 3_600_000;

export interface Range {
  readonly from: Date;
  readonly to: Date;
}

/** [from, to) of a period at `now`: the running month ends at the next whole hour, so this hour's usage is counted. */
export function rangeOf(period: Period, now: Date = new Date()): Range {
  const nextHour = new Date(Math.ceil((now.getTime() + 1) / HOUR_MS) * HOUR_MS);
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  switch (period) {
    case "thisMonth":
      return { from: monthStart, to: nextHour };
    case "lastMonth":
      return { from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)), to: monthStart };
    case "last24h":
      return { from: new Date(nextHour.getTime() - 24 * HOUR_MS), to: nextHour };
    case "last7d":
      return { from: new Date(nextHour.getTime() - 7 * 24 * HOUR_MS), to: nextHour };
  }
}
