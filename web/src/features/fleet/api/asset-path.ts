import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { PortalFleetAssetQuery } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";

export const FleetAssetDocument = graphql(`
  query PortalFleetAsset($id: ID!) {
    asset(id: $id) {
      id
      name
      parentId
    }
  }
`);

export interface PathStep {
  readonly id: string;
  readonly name: string;
}

/** The API's bound on the tree's depth. */
const MAX_DEPTH = 16;

/** The asset and its ancestors, root first: one small request per level (a tree is a few levels deep). */
async function assetPath(assetId: string): Promise<PathStep[]> {
  const path: PathStep[] = [];
  let next: string | null = assetId;
  while (next !== null && path.length < MAX_DEPTH) {
    const answer: PortalFleetAssetQuery = await memberRequest(FleetAssetDocument, { id: next });
    path.unshift({ id: answer.asset.id, name: answer.asset.name });
    next = answer.asset.parentId ?? null;
  }
  return path;
}

export const assetPathQuery = (tenantId: string, assetId: string | undefined) =>
  queryOptions({
    queryKey: ["fleet-asset-path", tenantId, assetId ?? null],
    queryFn: () => assetPath(assetId ?? ""),
    enabled: tenantId !== "" && assetId !== undefined,
    staleTime: 5 * 60_000,
  });

/** The breadcrumb of a "children of" view: the parent and its ancestors, root first. */
export function useAssetPath(tenantId: string, assetId: string | undefined) {
  return useQuery(assetPathQuery(tenantId, assetId));
}
