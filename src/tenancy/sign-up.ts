import { sql } from "drizzle-orm";
import { recordAudit } from "../audit/index.js";
import {
  checkEmail,
  checkPasswordPolicy,
  checkPersonName,
  hashPassword,
  type PublicContext,
  scopesOfRole,
  throttleSignUp,
} from "../auth/index.js";
import type { MemberPrincipal } from "../core/context.js";
import { newId } from "../core/ids.js";
import { isUniqueViolation, withTenant } from "../db/client.js";
import { memberships, tenants, users } from "./schema.js";
import { checkTenantName } from "./tenant.js";

export interface SignUpInput {
  readonly tenantName: string;
  readonly email: string;
  readonly name: string;
  readonly password: string;
}

/** The one answer of a sign-up, whether the address had an account or not. */
export interface SignUpAccepted {
  readonly email: string;
  readonly message: string;
}

export const SIGN_UP_ACCEPTED =
  "If this address can be used, its account and tenant are ready: sign in with the address and the password you chose. " +
  "A message about this sign-up goes to the address.";

/**
 * Creates a tenant and its owner in one transaction. The answer is the same whether the address
 * had an account or not, so a sign-up does not tell who is registered: a new owner gets a
 * welcome notice and signs in; the holder of an existing account is told of the attempt through
 * an account notice (the operator's mailer sends both). Throttled per client address.
 */
// The plans table is billing's, read by name: billing builds on tenancy, not the other way round.
const FREE_RETENTION = sql`select retention_days from plans where is_default and retention_days is not null`;

export async function signUp(ctx: PublicContext, input: SignUpInput): Promise<SignUpAccepted> {
  const tenantName = checkTenantName(input.tenantName);
  const email = checkEmail(input.email);
  const name = checkPersonName(input.name);
  checkPasswordPolicy(input.password, { email });
  await throttleSignUp(ctx);
  // Hashed either way, so both paths take as long.
  const passwordHash = await hashPassword(input.password);
  const tenantId = newId("tenant");
  const userId = newId("user");
  try {
    await withTenant(ctx.db.db, { tenantId, userId }, async (tx) => {
      // A new tenant starts on the free tier: its retention (telemetry kept) is the default plan's.
      await tx.insert(tenants).values({ id: tenantId, name: tenantName, retentionDays: sql`coalesce((${FREE_RETENTION}), 365)` });
      await tx.insert(users).values({ id: userId, email, name, passwordHash });
      await tx.insert(memberships).values({ tenantId, userId, role: "owner" });
      const principal: MemberPrincipal = { kind: "member", tenantId, userId, role: "owner", scopes: scopesOfRole("owner") };
      await recordAudit(
        { principal, tx, requestId: ctx.requestId, deps: {} },
        {
          action: "tenant.created",
          targetType: "tenant",
          targetId: tenantId,
          data: { name: tenantName },
        },
      );
      await tx.execute(
        sql`select auth_add_account_notice(${newId("accountNotice")}, 'welcome', ${email}, ${JSON.stringify({ tenantId, tenantName })}::jsonb)`,
      );
    });
  } catch (error) {
    if (!isUniqueViolation(error, "users_email_key")) throw error;
    await ctx.db.sql`
      select auth_add_account_notice(${newId("accountNotice")}, 'sign_up_with_existing_account', ${email}, ${JSON.stringify({ tenantName })}::jsonb)`;
  }
  return { email, message: SIGN_UP_ACCEPTED };
}
