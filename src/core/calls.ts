import type { Db } from "../db/client.js";
import { withTenant } from "../db/client.js";
import type { ConnectionAccess } from "./access.js";
import type { DevicePrincipal, OperatorContext, Principal, TenantContext } from "./context.js";
import { forbidden, unauthenticated } from "./errors.js";
import { SCOPES, type Scope } from "./roles.js";

/**
 * Per request: who calls, under which request id, with which long-lived services. `S` is what
 * the caller needs of the services (a capability names its own subset); the process passes all.
 */
export interface RequestContext<S = CallServices> {
  readonly requestId: string;
  /**
   * Fastify's request.ip: the socket's peer, or the client a trusted proxy names (TRUST_PROXY).
   * Sign-in and sign-up are throttled, and anonymous GraphQL requests rate-limited, by it.
   */
  readonly clientAddress?: string;
  readonly principal: Principal;
  readonly services: S;
  /** Over a graphql-ws connection: its access, kept current while its subscriptions run. */
  readonly access?: ConnectionAccess;
}

/**
 * A policy applied before a tenant write runs (the billing status: a read-only tenant may not
 * write), with the write's own context. Passed in by the process that builds the services, so the
 * call runner imports no policy.
 */
export type WriteGate = (ctx: TenantContext) => Promise<void>;

/** What the call runners need of the services. */
export interface CallServices {
  readonly db: Db;
  readonly opsDb: Db;
  readonly writeGate: WriteGate;
}

/** Writes a tenant whose billing is read-only may still make: paying is how it gets out of it. */
const WRITABLE_WHEN_READ_ONLY: readonly Scope[] = ["billing:write"];

/**
 * The only way a request reaches a tenant's data: checks the principal and the scope, then runs
 * the verb in a transaction scoped to the principal's tenant, with the services as its
 * dependencies. A write (any scope but a ":read" one, so ":write" and "models:promote") first
 * passes the write gate, but for billing itself.
 */
export function tenantCall<S extends CallServices, T>(
  rc: RequestContext<S>,
  scope: Scope,
  verb: (ctx: TenantContext<S>) => Promise<T>,
): Promise<T> {
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
      const gated = !scope.endsWith(":read") && !WRITABLE_WHEN_READ_ONLY.includes(scope);
      const services = rc.services;
      return withTenant(services.db.db, { tenantId: principal.tenantId, ...(userId ? { userId } : {}) }, async (tx) => {
        const ctx = { principal, tx, requestId: rc.requestId, deps: services };
        if (gated) await services.writeGate(ctx);
        return verb(ctx);
      });
    }
  }
}

/** The only way a request reaches the operators' verbs: an operator principal, or an error. */
export function operatorCall<S extends CallServices, T>(rc: RequestContext<S>, verb: (ctx: OperatorContext<S>) => Promise<T>): Promise<T> {
  const principal = rc.principal;
  if (principal.kind === "anonymous") return Promise.reject(unauthenticated("Sign in as an operator first."));
  if (principal.kind !== "operator") return Promise.reject(forbidden("This operation is for the platform's operators."));
  return verb({ principal, opsDb: rc.services.opsDb, requestId: rc.requestId, deps: rc.services });
}

/**
 * Runs a verb inside one tenant as a workflow (a Temporal workflow's activities): the same
 * RLS-scoped transaction as a request, with the workflow id as the actor in audit entries.
 */
export function workflowCall<S extends { readonly db: Db }, T>(
  deps: S,
  run: { readonly tenantId: string; readonly workflowId: string },
  verb: (ctx: TenantContext<S>) => Promise<T>,
): Promise<T> {
  const { tenantId, workflowId } = run;
  return withTenant(deps.db.db, { tenantId }, (tx) =>
    verb({ principal: { kind: "workflow", tenantId, workflowId, scopes: SCOPES }, tx, requestId: workflowId, deps }),
  );
}

/**
 * `tenantCall` for a verb that reads Postgres in the tenant's transaction and answers with a read
 * of another store (InfluxDB) to run once that transaction has ended: no Postgres connection is
 * held while the other store answers. One call for the resolver, as every other verb.
 */
export async function tenantCallThenRead<S extends CallServices, T>(
  rc: RequestContext<S>,
  scope: Scope,
  verb: (ctx: TenantContext<S>) => Promise<() => Promise<T>>,
): Promise<T> {
  const read = await tenantCall(rc, scope, verb);
  return read();
}

/**
 * Runs a verb inside the device's tenant on the device's behalf (ingest): the same RLS-scoped
 * transaction as a request, with the device as the principal.
 */
export function deviceCall<S extends { readonly db: Db }, T>(
  deps: S,
  device: DevicePrincipal,
  requestId: string,
  verb: (ctx: TenantContext<S>) => Promise<T>,
): Promise<T> {
  return withTenant(deps.db.db, { tenantId: device.tenantId }, (tx) => verb({ principal: device, tx, requestId, deps }));
}
