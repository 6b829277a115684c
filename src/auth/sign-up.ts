import { sql } from "drizzle-orm";
import { freeTierRetentionDays } from "../billing/index.js";
import type { MemberPrincipal } from "../core/context.js";
import { validation } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { isEmail, normaliseEmail } from "../core/secrets.js";
import { isUniqueViolation, withTenant } from "../db/client.js";
import { recordAudit } from "../tenancy/audit.js";
import { memberships, tenants, users } from "../tenancy/schema.js";
import { checkTenantName } from "../tenancy/tenant.js";
import { checkPasswordPolicy } from "./password-policy.js";
import { hashPassword } from "./passwords.js";
import type { PublicContext } from "./public-context.js";
import { scopesOfRole } from "./scopes.js";
import { signUpRule, throttleSignUp } from "./throttle.js";
import type { IssuedToken } from "./tokens.js";

export interface SignUpInput {
  readonly tenantName: string;
  readonly email: string;
  readonly name: string;
  readonly password: string;
}

export interface SignedIn extends IssuedToken {
  readonly tenantId: string;
  readonly userId: string;
}

export function checkPersonName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 120) throw validation("The name must be 1 to 120 characters long.", { field: "name" });
  return trimmed;
}

export function checkEmail(email: string): string {
  const normal = normaliseEmail(email);
  if (!isEmail(normal)) throw validation(`"${email}" is not an email address.`, { field: "email" });
  return normal;
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
export async function signUp(ctx: PublicContext, input: SignUpInput): Promise<SignUpAccepted> {
  const tenantName = checkTenantName(input.tenantName);
  const email = checkEmail(input.email);
  const name = checkPersonName(input.name);
  checkPasswordPolicy(input.password, { email });
  await throttleSignUp(ctx.db, ctx.clientAddress, signUpRule(ctx.signUpsPerAddress));
  // Hashed either way, so both paths take as long.
  const passwordHash = await hashPassword(input.password);
  const tenantId = newId("tenant");
  const userId = newId("user");
  try {
    await withTenant(ctx.db.db, { tenantId, userId }, async (tx) => {
      // A new tenant starts on the free tier: its retention (telemetry kept) is the default plan's.
      await tx.insert(tenants).values({ id: tenantId, name: tenantName, retentionDays: (await freeTierRetentionDays({ tx })) ?? 365 });
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
