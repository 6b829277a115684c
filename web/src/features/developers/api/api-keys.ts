import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { CreateApiKeyInput } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";

export const ApiKeysDocument = graphql(`
  query PortalApiKeys($first: Int!, $after: String) {
    apiKeys(first: $first, after: $after) {
      edges {
        node {
          id
          name
          prefix
          scopes
          createdBy
          createdAt
          lastUsedAt
          revokedAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CreateApiKeyDocument = graphql(`
  mutation PortalCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      secret
      apiKey {
        id
        name
        scopes
      }
    }
  }
`);

export const RevokeApiKeyDocument = graphql(`
  mutation PortalRevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revokedAt
    }
  }
`);

const PAGE = 50;
const keysKey = (tenantId: string) => ["api-keys", tenantId] as const;

/** The tenant's keys, oldest first, 50 a page. */
export function useApiKeys(tenantId: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: keysKey(tenantId),
    queryFn: ({ pageParam }) => memberRequest(ApiKeysDocument, { first: PAGE, after: pageParam }).then((r) => r.apiKeys),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.pageInfo.hasNextPage ? (last.pageInfo.endCursor ?? undefined) : undefined),
    enabled,
  });
}

export function useCreateApiKey(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateApiKeyInput) => memberRequest(CreateApiKeyDocument, { input }).then((r) => r.createApiKey),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keysKey(tenantId) }),
  });
}

export function useRevokeApiKey(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => memberRequest(RevokeApiKeyDocument, { id }).then((r) => r.revokeApiKey),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keysKey(tenantId) }),
  });
}
