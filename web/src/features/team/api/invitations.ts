import { infiniteQueryOptions, useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { MemberRole, PortalTeamInvitationsQuery } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";

export const TeamInvitationsDocument = graphql(`
  query PortalTeamInvitations($first: Int!, $after: String) {
    invitations(first: $first, after: $after) {
      edges {
        node {
          id
          email
          role
          createdAt
          expiresAt
          acceptedAt
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

export const CreateTeamInvitationDocument = graphql(`
  mutation PortalCreateInvitation($email: String!, $role: MemberRole!) {
    createInvitation(email: $email, role: $role) {
      url
      invitation {
        id
        email
        role
        expiresAt
      }
    }
  }
`);

export const RevokeTeamInvitationDocument = graphql(`
  mutation PortalRevokeInvitation($id: ID!) {
    revokeInvitation(id: $id) {
      id
      email
      revokedAt
    }
  }
`);

type InvitationPage = PortalTeamInvitationsQuery["invitations"];
export type TeamInvitation = InvitationPage["edges"][number]["node"];

const invitationsKey = (tenantId: string) => ["team-invitations", tenantId] as const;

export const teamInvitationsQuery = (tenantId: string) =>
  infiniteQueryOptions({
    queryKey: invitationsKey(tenantId),
    queryFn: ({ pageParam }) => memberRequest(TeamInvitationsDocument, { first: 100, after: pageParam }).then((r) => r.invitations),
    initialPageParam: null as string | null,
    getNextPageParam: (last: InvitationPage) => (last.pageInfo.hasNextPage ? last.pageInfo.endCursor : undefined),
    enabled: tenantId !== "",
  });

/** Oldest first from the API (ids follow time); the page shows them newest first. */
export function useTeamInvitations(tenantId: string) {
  return useInfiniteQuery(teamInvitationsQuery(tenantId));
}

function useRefreshAfter(tenantId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: invitationsKey(tenantId) }),
      queryClient.invalidateQueries({ queryKey: ["team-audit", tenantId] }),
    ]);
}

export function useCreateInvitation(tenantId: string) {
  const refresh = useRefreshAfter(tenantId);
  return useMutation({
    mutationFn: (input: { email: string; role: MemberRole }) =>
      memberRequest(CreateTeamInvitationDocument, input).then((r) => r.createInvitation),
    onSuccess: refresh,
  });
}

export function useRevokeInvitation(tenantId: string) {
  const refresh = useRefreshAfter(tenantId);
  return useMutation({
    mutationFn: (id: string) => memberRequest(RevokeTeamInvitationDocument, { id }).then((r) => r.revokeInvitation),
    onSettled: refresh,
  });
}
