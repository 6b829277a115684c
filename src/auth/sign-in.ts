import { AppError, unauthenticated } from "../core/errors.js";
import { normaliseEmail } from "../core/secrets.js";
import type { Db } from "../db/client.js";
import { decoyHash, verifyPassword } from "./passwords.js";
import type { PublicContext } from "./public-context.js";
import { throttledPasswordCheck } from "./throttle.js";
import type { IssuedToken, TokenService } from "./tokens.js";

/** A member's new token, with the tenant and the user it is for. */
export interface SignedIn extends IssuedToken {
  readonly tenantId: string;
  readonly userId: string;
}

/** A member token carrying the user's current session generation. */
export async function issueMemberToken(
  ctx: { readonly db: Db; readonly tokens: TokenService },
  who: { readonly userId: string; readonly tenantId: string },
): Promise<IssuedToken> {
  const [row] = await ctx.db.sql<{ generation: number | null }[]>`select auth_user_session_generation(${who.userId}) as generation`;
  if (row?.generation === undefined || row.generation === null) throw unauthenticated("This account does not exist any more.");
  return ctx.tokens.issue({ kind: "member", userId: who.userId, tenantId: who.tenantId, generation: row.generation });
}

const WRONG = "The email or the password is wrong.";

/** Checks a user's password; the user's id, or UNAUTHENTICATED with no hint which part was wrong. */
export async function checkUserPassword(
  ctx: PublicContext,
  input: { readonly email: string; readonly password: string; readonly wrong?: string },
): Promise<string> {
  const normal = normaliseEmail(input.email);
  const userId = await throttledPasswordCheck(ctx.db, { account: `user:${normal}`, clientAddress: ctx.clientAddress }, async () => {
    const [row] = await ctx.db.sql<{ id: string; password_hash: string }[]>`
      select id, password_hash from auth_find_user_by_email(${normal})`;
    const ok = await verifyPassword(input.password, row?.password_hash ?? (await decoyHash()));
    return row && ok ? row.id : undefined;
  });
  if (!userId) throw unauthenticated(input.wrong ?? WRONG);
  return userId;
}

export async function signIn(
  ctx: PublicContext,
  input: { email: string; password: string; tenantId?: string | undefined },
): Promise<SignedIn> {
  const userId = await checkUserPassword(ctx, { email: input.email, password: input.password });
  const tenants = await ctx.db.sql<{ tenant_id: string; tenant_name: string }[]>`
    select tenant_id, tenant_name from auth_user_tenants(${userId})`;
  if (tenants.length === 0) throw unauthenticated("This account belongs to no tenant any more.");
  const chosen = input.tenantId ? tenants.find((t) => t.tenant_id === input.tenantId) : tenants.length === 1 ? tenants[0] : undefined;
  if (!chosen) {
    throw new AppError(
      input.tenantId ? "NOT_FOUND" : "VALIDATION",
      input.tenantId
        ? `You are not a member of tenant ${input.tenantId}.`
        : `You belong to ${tenants.length} tenants; say which one with "tenantId".`,
      { tenants: tenants.map((t) => ({ id: t.tenant_id, name: t.tenant_name })) },
    );
  }
  const issued = await issueMemberToken(ctx, { userId, tenantId: chosen.tenant_id });
  return { ...issued, tenantId: chosen.tenant_id, userId };
}
