import type { MemberPrincipal } from "../core/context.js";
import { conflict, validation } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { isEmail, normaliseEmail } from "../core/secrets.js";
import { isUniqueViolation, withTenant } from "../db/client.js";
import { recordAudit } from "../tenancy/audit.js";
import { memberships, tenants, users } from "../tenancy/schema.js";
import { checkTenantName } from "../tenancy/tenant.js";
import { checkPasswordStrength, hashPassword } from "./passwords.js";
import type { PublicContext } from "./public-context.js";
import { scopesOfRole } from "./scopes.js";
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

/** Creates a tenant and its owner in one transaction, and signs the owner in. */
export async function signUp(ctx: PublicContext, input: SignUpInput): Promise<SignedIn> {
  const tenantName = checkTenantName(input.tenantName);
  const email = checkEmail(input.email);
  const name = checkPersonName(input.name);
  checkPasswordStrength(input.password);
  const passwordHash = await hashPassword(input.password);
  const tenantId = newId("tenant");
  const userId = newId("user");
  try {
    await withTenant(ctx.db.db, { tenantId, userId }, async (tx) => {
      await tx.insert(tenants).values({ id: tenantId, name: tenantName });
      await tx.insert(users).values({ id: userId, email, name, passwordHash });
      await tx.insert(memberships).values({ tenantId, userId, role: "owner" });
      const principal: MemberPrincipal = { kind: "member", tenantId, userId, role: "owner", scopes: scopesOfRole("owner") };
      await recordAudit(
        { principal, tx, requestId: ctx.requestId },
        {
          action: "tenant.created",
          targetType: "tenant",
          targetId: tenantId,
          data: { name: tenantName },
        },
      );
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_email_key")) {
      throw conflict("An account with this email already exists; sign in instead.", { field: "email" });
    }
    throw error;
  }
  const issued = await ctx.tokens.issue({ kind: "member", userId, tenantId });
  return { ...issued, tenantId, userId };
}
