import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { recordAudit } from "../audit/index.js";
import {
  checkEmail,
  checkPasswordPolicy,
  checkPersonName,
  checkUserPassword,
  hashPassword,
  issueMemberToken,
  type PublicContext,
  type SignedIn,
  scopesOfRole,
} from "../auth/index.js";
import { actorOf, type MemberPrincipal, type TenantContext } from "../core/context.js";
import { conflict, forbidden, notFound, validation } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { type Page, type PageRequest, toPage } from "../core/pagination.js";
import { newSecret, sha256 } from "../core/secrets.js";
import { isUniqueViolation, withTenant } from "../db/client.js";
import type { TenancyDeps } from "./deps.js";
import { invitationUrl } from "./invitation-preview.js";
import { invitations, type MemberRole, memberships, users } from "./schema.js";

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

export type Invitation = Omit<typeof invitations.$inferSelect, "tokenHash">;

const publicColumns = {
  tenantId: invitations.tenantId,
  id: invitations.id,
  email: invitations.email,
  role: invitations.role,
  invitedBy: invitations.invitedBy,
  expiresAt: invitations.expiresAt,
  acceptedAt: invitations.acceptedAt,
  revokedAt: invitations.revokedAt,
  createdAt: invitations.createdAt,
};

/** Invites an address; the token (and the link to the portal's page holding it) is shown only here. */
export async function createInvitation(
  ctx: TenantContext<TenancyDeps>,
  input: { email: string; role: MemberRole },
): Promise<{ invitation: Invitation; token: string; url: string }> {
  const email = checkEmail(input.email);
  if (input.role === "owner" && !(ctx.principal.kind === "member" && ctx.principal.role === "owner")) {
    throw forbidden("Only an owner can invite another owner.");
  }
  const tenantId = ctx.principal.tenantId;
  const [member] = await ctx.tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.tenantId, tenantId)))
    .where(eq(users.email, email));
  if (member) throw conflict(`${email} is already a member of this tenant.`, { field: "email" });
  const now = ctx.deps.clock.now();
  // A new invitation replaces any pending one for the same address.
  await ctx.tx
    .update(invitations)
    .set({ revokedAt: now })
    .where(
      and(eq(invitations.tenantId, tenantId), eq(invitations.email, email), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)),
    );
  const token = newSecret(32);
  const [row] = await ctx.tx
    .insert(invitations)
    .values({
      tenantId,
      id: newId("invitation"),
      email,
      role: input.role,
      tokenHash: sha256(token),
      invitedBy: actorOf(ctx.principal).id,
      expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
    })
    .returning(publicColumns);
  if (!row) throw new Error("Insert returned no invitation");
  await recordAudit(ctx, { action: "invitation.created", targetType: "invitation", targetId: row.id, data: { email, role: input.role } });
  return { invitation: row, token, url: invitationUrl(ctx.deps.config.PORTAL_URL, token) };
}

export async function listInvitations(ctx: TenantContext, page: PageRequest): Promise<Page<Invitation>> {
  const tenant = eq(invitations.tenantId, ctx.principal.tenantId);
  const rows = await ctx.tx
    .select(publicColumns)
    .from(invitations)
    .where(page.afterKey ? and(tenant, gt(invitations.id, page.afterKey)) : tenant)
    .orderBy(asc(invitations.id))
    .limit(page.first + 1);
  return toPage(rows, page, (r) => r.id);
}

export async function revokeInvitation(ctx: TenantContext<TenancyDeps>, input: { id: string }): Promise<Invitation> {
  const where = and(eq(invitations.tenantId, ctx.principal.tenantId), eq(invitations.id, input.id));
  const [current] = await ctx.tx.select(publicColumns).from(invitations).where(where);
  if (!current) throw notFound("Invitation", input.id);
  if (current.acceptedAt) throw conflict("This invitation was already accepted; remove the member instead.");
  if (current.revokedAt) return current;
  const [row] = await ctx.tx.update(invitations).set({ revokedAt: ctx.deps.clock.now() }).where(where).returning(publicColumns);
  if (!row) throw notFound("Invitation", input.id);
  await recordAudit(ctx, { action: "invitation.revoked", targetType: "invitation", targetId: row.id });
  return row;
}

interface InvitationRow {
  tenant_id: string;
  id: string;
  email: string;
  role: MemberRole;
  // Raw rows through the drizzle-configured client keep timestamps as text.
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

/**
 * Accepting makes the invited address a member. A new person sets a name and password; an
 * existing user proves the password of that address.
 */
export async function acceptInvitation(
  ctx: PublicContext,
  input: { token: string; password: string; name?: string | undefined },
): Promise<SignedIn> {
  const [inv] = await ctx.db.sql<InvitationRow[]>`
    select tenant_id, id, email, role, expires_at, accepted_at, revoked_at from auth_find_invitation(${sha256(input.token)})`;
  if (!inv) throw notFound("Invitation", "for this token");
  if (inv.revoked_at) throw conflict("This invitation has been revoked; ask for a new one.");
  if (inv.accepted_at) throw conflict("This invitation has already been accepted; sign in instead.");
  if (Date.parse(inv.expires_at) < Date.now()) throw validation("This invitation has expired; ask for a new one.");

  const [existing] = await ctx.db.sql<{ id: string }[]>`select id from auth_find_user_by_email(${inv.email})`;
  let userId: string;
  let newUser: { name: string; passwordHash: string } | undefined;
  if (existing) {
    userId = await checkUserPassword(ctx, { email: inv.email, password: input.password });
  } else {
    if (input.name === undefined) throw validation("Give your name to create your account.", { field: "name" });
    const name = checkPersonName(input.name);
    checkPasswordPolicy(input.password, { email: inv.email });
    userId = newId("user");
    newUser = { name, passwordHash: await hashPassword(input.password) };
  }

  const tenantId = inv.tenant_id;
  try {
    await withTenant(ctx.db.db, { tenantId, userId }, async (tx) => {
      if (newUser) await tx.insert(users).values({ id: userId, email: inv.email, ...newUser });
      const claimed = await tx
        .update(invitations)
        .set({ acceptedAt: new Date() })
        .where(
          and(
            eq(invitations.tenantId, tenantId),
            eq(invitations.id, inv.id),
            isNull(invitations.acceptedAt),
            isNull(invitations.revokedAt),
          ),
        )
        .returning({ id: invitations.id });
      if (claimed.length === 0) throw conflict("This invitation is no longer open.");
      await tx.insert(memberships).values({ tenantId, userId, role: inv.role });
      const principal: MemberPrincipal = { kind: "member", tenantId, userId, role: inv.role, scopes: scopesOfRole(inv.role) };
      await recordAudit(
        { principal, tx, requestId: ctx.requestId, deps: {} },
        {
          action: "invitation.accepted",
          targetType: "invitation",
          targetId: inv.id,
          data: { role: inv.role },
        },
      );
    });
  } catch (error) {
    if (isUniqueViolation(error, "memberships_tenant_id_user_id_pk")) throw conflict("You are already a member of this tenant.");
    if (isUniqueViolation(error, "users_email_key"))
      throw conflict("An account with this email was just created; accept again with its password.");
    throw error;
  }
  return { ...(await issueMemberToken(ctx, { userId, tenantId })), tenantId, userId };
}
