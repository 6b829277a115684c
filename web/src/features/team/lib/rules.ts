import type { MemberRole } from "../../../gql/graphql";

export const ROLES: readonly MemberRole[] = ["OWNER", "ADMIN", "ENGINEER", "VIEWER", "FINANCE"];

/** Why a member's controls are disabled: the API would refuse, so the page says why instead of offering it. */
export type Blocked = "onlyOwner" | "ownerOnly";

export interface MemberControls {
  /** The roles the caller may choose for this member (the owner role only for owners). */
  readonly roles: readonly MemberRole[];
  readonly blocked: Blocked | undefined;
}

/**
 * The API's rules, applied before asking: only an owner grants or takes away the owner role, and a
 * tenant keeps at least one owner. `allOwnersKnown` is false while members remain unloaded: the
 * API then decides (and the page shows its refusal).
 */
export function memberControls(
  member: { readonly role: MemberRole },
  caller: { readonly role: MemberRole | null | undefined },
  owners: number,
  allOwnersKnown: boolean,
): MemberControls {
  const roles = caller.role === "OWNER" ? ROLES : ROLES.filter((r) => r !== "OWNER");
  if (member.role === "OWNER" && caller.role !== "OWNER") return { roles, blocked: "ownerOnly" };
  if (member.role === "OWNER" && allOwnersKnown && owners <= 1) return { roles, blocked: "onlyOwner" };
  return { roles, blocked: undefined };
}

export type InvitationState = "PENDING" | "EXPIRED" | "REVOKED" | "ACCEPTED";

export function invitationState(
  invitation: { readonly acceptedAt?: string | null; readonly revokedAt?: string | null; readonly expiresAt: string },
  now: number,
): InvitationState {
  if (invitation.acceptedAt) return "ACCEPTED";
  if (invitation.revokedAt) return "REVOKED";
  if (Date.parse(invitation.expiresAt) <= now) return "EXPIRED";
  return "PENDING";
}
