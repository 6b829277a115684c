import { sql } from "drizzle-orm";
import type { MemberPrincipal, OperatorContext } from "../core/context.js";
import { unauthenticated } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { announce } from "../db/changes.js";
import type { Tx } from "../db/client.js";
import { checkPasswordPolicy } from "./password-policy.js";
import { hashPassword } from "./passwords.js";
import type { PublicContext } from "./public-context.js";
import { checkUserPassword } from "./sign-in.js";
import type { IssuedToken } from "./tokens.js";

/** What the session verbs need: the caller (signed in with an access token) and the services. */
export interface SessionContext extends PublicContext {
  readonly principal: MemberPrincipal;
}

function sessionOf(principal: MemberPrincipal) {
  if (!principal.session) throw unauthenticated("Signing out needs the access token of a signed-in person.");
  return principal.session;
}

/**
 * Tells every API process, when `tx` commits, that the user's sessions changed in each of their
 * tenants: their open subscriptions are checked again (and closed when their token ended).
 */
async function announceUserSessions(tx: Tx, userId: string): Promise<void> {
  const tenants = await tx.execute<{ tenant_id: string }>(sql`select tenant_id from auth_user_tenants(${userId})`);
  for (const row of tenants) await announce(tx, { kind: "member", tenantId: row.tenant_id, userId });
}

/** Ends every token of an operator (operators have one generation of sessions, no single sign-out). */
export async function endOperatorSessions(ctx: OperatorContext): Promise<boolean> {
  await ctx.opsDb.sql`select auth_end_operator_sessions(${ctx.principal.operatorId})`;
  return true;
}

/** Ends the token the request came with; the user's other sessions go on. */
export async function signOut(ctx: SessionContext): Promise<boolean> {
  const session = sessionOf(ctx.principal);
  const { tenantId, userId } = ctx.principal;
  await ctx.db.db.transaction(async (tx) => {
    await tx.execute(sql`select auth_revoke_token(${session.tokenId}, ${session.expiresAt.toISOString()}::timestamptz)`);
    await announce(tx, { kind: "member", tenantId, userId });
  });
  return true;
}

/** Ends every token of the user, in every tenant, this one included. */
export async function signOutEverywhere(ctx: SessionContext): Promise<boolean> {
  sessionOf(ctx.principal);
  const userId = ctx.principal.userId;
  await ctx.db.db.transaction(async (tx) => {
    await tx.execute(sql`select auth_end_user_sessions(${userId})`);
    await announceUserSessions(tx, userId);
  });
  return true;
}

/**
 * Changes the password after proving the current one (throttled like a sign-in), ends every
 * other session, tells the address (an account notice), and answers a new token for this one.
 */
export async function changePassword(
  ctx: SessionContext,
  input: { readonly currentPassword: string; readonly newPassword: string },
): Promise<IssuedToken> {
  sessionOf(ctx.principal);
  const [user] = await ctx.db.sql<{ email: string }[]>`select email from auth_user_email(${ctx.principal.userId})`;
  if (!user) throw unauthenticated("This account does not exist any more.");
  const userId = await checkUserPassword(ctx, {
    email: user.email,
    password: input.currentPassword,
    wrong: "The current password is wrong.",
  });
  if (userId !== ctx.principal.userId) throw unauthenticated("The current password is wrong.");
  checkPasswordPolicy(input.newPassword, { email: user.email });
  const hash = await hashPassword(input.newPassword);
  const row = await ctx.db.db.transaction(async (tx) => {
    const [changed] = await tx.execute<{ generation: number }>(
      sql`select auth_change_password(${userId}, ${hash}, ${newId("accountNotice")}) as generation`,
    );
    if (changed) await announceUserSessions(tx, userId);
    return changed;
  });
  if (!row) throw unauthenticated("This account does not exist any more.");
  return ctx.tokens.issue({ kind: "member", userId, tenantId: ctx.principal.tenantId, generation: row.generation });
}
