import type { PublicContext } from "../auth/public-context.js";
import type { Scope } from "../auth/scopes.js";
import { assertTenantCanWrite } from "../billing/quotas.js";
import type { TenantContext } from "../core/context.js";
import { forbidden, unauthenticated } from "../core/errors.js";
import { withTenant } from "../db/client.js";
import type { OperatorContext } from "../operators/access.js";
import type { RequestContext } from "./services.js";

/** Writes a tenant whose billing is read-only may still make: paying is how it gets out of it. */
const WRITABLE_WHEN_READ_ONLY: readonly Scope[] = ["billing:write"];

/**
 * The only way a resolver reaches a tenant's data: checks the principal and the scope, then runs
 * the verb in a transaction scoped to the principal's tenant. A write (a ":write" scope) of a
 * tenant whose billing is read-only or cancelled answers PAYMENT_REQUIRED, but for billing itself.
 */
export function tenantCall<T>(rc: RequestContext, scope: Scope, verb: (ctx: TenantContext) => Promise<T>): Promise<T> {
  const principal = rc.principal;
  switch (principal.kind) {
    case "anonymous":
      return Promise.reject(unauthenticated("Sign in first: this operation needs a token or an API key."));
    case "operator":
      return Promise.reject(forbidden("Operators reach tenant data only through the operator operations."));
    case "member":
    case "apiKey": {
      if (!principal.scopes.includes(scope)) {
        return Promise.reject(forbidden(`This operation needs the "${scope}" scope.`, { scope }));
      }
      const userId = principal.kind === "member" ? principal.userId : undefined;
      const gated = scope.endsWith(":write") && !WRITABLE_WHEN_READ_ONLY.includes(scope);
      return withTenant(rc.services.db.db, { tenantId: principal.tenantId, ...(userId ? { userId } : {}) }, async (tx) => {
        if (gated) await assertTenantCanWrite(tx, principal.tenantId, rc.services.config.BILLING_GRACE_DAYS);
        return verb({ principal, tx, requestId: rc.requestId });
      });
    }
  }
}

export function operatorCall<T>(rc: RequestContext, verb: (ctx: OperatorContext) => Promise<T>): Promise<T> {
  const principal = rc.principal;
  if (principal.kind === "anonymous") return Promise.reject(unauthenticated("Sign in as an operator first."));
  if (principal.kind !== "operator") return Promise.reject(forbidden("This operation is for the platform's operators."));
  return verb({ principal, opsDb: rc.services.opsDb, requestId: rc.requestId });
}

export function publicContext(rc: RequestContext): PublicContext {
  return {
    db: rc.services.db,
    tokens: rc.services.tokens,
    requestId: rc.requestId,
    clientAddress: rc.clientAddress ?? "unknown",
    signUpsPerAddress: rc.services.config.AUTH_SIGN_UPS_PER_ADDRESS,
  };
}
