import type { PublicContext } from "../auth/public-context.js";
import type { Scope } from "../auth/scopes.js";
import type { TenantContext } from "../core/context.js";
import { forbidden, unauthenticated } from "../core/errors.js";
import { withTenant } from "../db/client.js";
import type { OperatorContext } from "../operators/access.js";
import type { RequestContext } from "./services.js";

/**
 * The only way a resolver reaches a tenant's data: checks the principal and the scope, then runs
 * the verb in a transaction scoped to the principal's tenant.
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
      return withTenant(rc.services.db.db, { tenantId: principal.tenantId, ...(userId ? { userId } : {}) }, (tx) =>
        verb({ principal, tx, requestId: rc.requestId }),
      );
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
  return { db: rc.services.db, tokens: rc.services.tokens, requestId: rc.requestId };
}
