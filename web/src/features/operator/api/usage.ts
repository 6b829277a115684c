import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { PortalOperatorUsageQuery } from "../../../gql/graphql";
import type { Range } from "../lib/range";
import { operatorRequest } from "./request";

export const OperatorUsageDocument = graphql(`
  query PortalOperatorUsage($reason: String!, $from: DateTimeISO!, $to: DateTimeISO!) {
    operatorUsage(reason: $reason, from: $from, to: $to, granularity: DAY) {
      tenantId
      tenantName
      meter
      periodStart
      quantity
    }
  }
`);

export type UsageRow = PortalOperatorUsageQuery["operatorUsage"][number];

/** Every customer's usage per meter and day in the range (finance operators); logged with the reason. */
export function useOperatorUsage(reason: string, range: Range) {
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  return useQuery({
    queryKey: ["operator", "usage", reason, from, to],
    queryFn: () => operatorRequest(OperatorUsageDocument, { reason, from, to }).then((r) => r.operatorUsage),
  });
}
