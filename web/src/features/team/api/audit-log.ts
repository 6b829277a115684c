import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { PortalTeamAuditLogQuery } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";

export const TeamAuditLogDocument = graphql(`
  query PortalTeamAuditLog(
    $first: Int!
    $after: String
    $actorKind: String
    $actorId: String
    $action: String
    $from: DateTimeISO
    $to: DateTimeISO
  ) {
    auditLog(first: $first, after: $after, actorKind: $actorKind, actorId: $actorId, action: $action, from: $from, to: $to) {
      edges {
        node {
          id
          actorKind
          actorId
          actorName
          action
          targetType
          targetId
          data
          requestId
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

type AuditPage = PortalTeamAuditLogQuery["auditLog"];
export type AuditRow = AuditPage["edges"][number]["node"];

export const AUDIT_PAGE_SIZE = 25;

/** What the API is asked: each part narrows the list; times as ISO instants. */
export interface AuditQuery {
  readonly actorKind?: string | undefined;
  readonly actorId?: string | undefined;
  readonly action?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

export const auditLogQuery = (tenantId: string, filter: AuditQuery, enabled: boolean) =>
  infiniteQueryOptions({
    queryKey: ["team-audit", tenantId, filter] as const,
    queryFn: ({ pageParam }) =>
      memberRequest(TeamAuditLogDocument, {
        first: AUDIT_PAGE_SIZE,
        after: pageParam,
        actorKind: filter.actorKind ?? null,
        actorId: filter.actorId ?? null,
        action: filter.action ?? null,
        from: filter.from ?? null,
        to: filter.to ?? null,
      }).then((r) => r.auditLog),
    initialPageParam: null as string | null,
    getNextPageParam: (last: AuditPage) => (last.pageInfo.hasNextPage ? last.pageInfo.endCursor : undefined),
    enabled: enabled && tenantId !== "",
  });

/** The tenant's audit log, newest first, 25 entries at a time. */
export function useAuditLog(tenantId: string, filter: AuditQuery, enabled: boolean) {
  return useInfiniteQuery(auditLogQuery(tenantId, filter, enabled));
}
