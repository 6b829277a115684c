import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { UsageMeter } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";
import type { Range } from "../lib/period";

export const PeriodUsageDocument = graphql(`
  query PortalPeriodUsage($from: DateTimeISO!, $to: DateTimeISO!) {
    usage(from: $from, to: $to, granularity: DAY) {
      meter
      periodStart
      quantity
    }
  }
`);

export type MeterTotals = Readonly<Record<UsageMeter, number>>;

/** The period's usage per meter: the API's daily figures, summed (whole numbers, exact). */
export function usePeriodUsage(tenantId: string, range: Range | undefined) {
  return useQuery({
    queryKey: ["usage", tenantId, "period", range?.from, range?.to],
    queryFn: async (): Promise<MeterTotals> => {
      const { usage } = await memberRequest(PeriodUsageDocument, { from: range?.from ?? "", to: range?.to ?? "" });
      const totals: Record<UsageMeter, number> = { POINTS_INGESTED: 0, PREDICTIONS: 0, TRAINING_RUNS: 0 };
      for (const row of usage) totals[row.meter] += row.quantity;
      return totals;
    },
    enabled: tenantId !== "" && range !== undefined,
  });
}
