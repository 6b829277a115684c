import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { MemberRole } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";
import { teamMembersKey } from "./members";

export const UpdateMemberRoleDocument = graphql(`
  mutation PortalUpdateMemberRole($userId: ID!, $role: MemberRole!) {
    updateMemberRole(userId: $userId, role: $role) {
      userId
      name
      role
    }
  }
`);

export const RemoveMemberDocument = graphql(`
  mutation PortalRemoveMember($userId: ID!) {
    removeMember(userId: $userId) {
      userId
      name
    }
  }
`);

/** Changes a member's role; the list (and the audit log) is fetched again, refused or not: someone else may have changed it meanwhile. */
export function useUpdateMemberRole(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { userId: string; role: MemberRole }) =>
      memberRequest(UpdateMemberRoleDocument, input).then((r) => r.updateMemberRole),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: teamMembersKey(tenantId) }),
        queryClient.invalidateQueries({ queryKey: ["team-audit", tenantId] }),
      ]),
  });
}

export function useRemoveMember(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => memberRequest(RemoveMemberDocument, { userId }).then((r) => r.removeMember),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: teamMembersKey(tenantId) }),
        queryClient.invalidateQueries({ queryKey: ["team-audit", tenantId] }),
      ]),
  });
}
