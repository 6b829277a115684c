import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { PortalDriftChecksQuery } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";

export const DriftChecksDocument = graphql(`
  query PortalDriftChecks($assetTypeId: ID!) {
    driftChecks(assetTypeId: $assetTypeId, first: 10) {
      edges {
        node {
          id
          createdAt
          modelVersionId
          windowHours
          threshold
          recentValues
          drifted
          psi
          trainingRunId
        }
      }
    }
  }
`);

export type DriftRow = PortalDriftChecksQuery["driftChecks"]["edges"][number]["node"];

/** The asset type's 10 latest drift checks, newest first. */
export function useDriftChecks(tenantId: string, assetTypeId: string) {
  return useQuery({
    queryKey: ["models", tenantId, "drift", assetTypeId] as const,
    queryFn: () => memberRequest(DriftChecksDocument, { assetTypeId }).then((r) => r.driftChecks.edges.map((e) => e.node)),
    enabled: tenantId !== "",
  });
}
