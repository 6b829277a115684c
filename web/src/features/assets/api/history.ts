import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { ModelTask, PortalPredictionHistoryQuery } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";

export const PredictionHistoryDocument = graphql(`
  query PortalPredictionHistory($assetId: ID!, $task: ModelTask!, $from: DateTimeISO!, $to: DateTimeISO!, $after: String) {
    predictions(assetId: $assetId, task: $task, from: $from, to: $to, first: 100, after: $after) {
      edges {
        node {
          id
          createdAt
          rul
          rulLow
          rulHigh
          anomalyScore
          anomalyThreshold
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export type HistoryPoint = PortalPredictionHistoryQuery["predictions"]["edges"][number]["node"];

/** At most this many pages of 100: a year of daily scoring fits, and a page never asks for more. */
const MAX_PAGES = 5;

export interface PredictionHistory {
  /** Oldest first. */
  readonly points: HistoryPoint[];
  /** More predictions were made in the range than are shown (the newest are). */
  readonly truncated: boolean;
}

/** The predictions of one task made in [from, to), oldest first, the newest 500 at most. */
export function usePredictionHistory(tenantId: string, q: { assetId: string; task: ModelTask; from: Date; to: Date }, enabled: boolean) {
  return useQuery({
    queryKey: ["prediction-history", tenantId, q.assetId, q.task, q.from.toISOString(), q.to.toISOString()],
    queryFn: async (): Promise<PredictionHistory> => {
      const points: HistoryPoint[] = [];
      let after: string | null = null;
      for (let page = 0; page < MAX_PAGES; page++) {
        const { predictions }: PortalPredictionHistoryQuery = await memberRequest(PredictionHistoryDocument, {
          assetId: q.assetId,
          task: q.task,
          from: q.from.toISOString(),
          to: q.to.toISOString(),
          after,
        });
        points.push(...predictions.edges.map((e) => e.node));
        if (!predictions.pageInfo.hasNextPage) return { points: points.reverse(), truncated: false };
        after = predictions.pageInfo.endCursor ?? null;
      }
      return { points: points.reverse(), truncated: true };
    },
    placeholderData: keepPreviousData,
    enabled: enabled && tenantId !== "",
  });
}
