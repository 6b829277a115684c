import type { RequestContext } from "../api/services.js";
import { forbidden, unauthenticated } from "../core/errors.js";
import { withTenant } from "../db/client.js";
import { type Alert, alertsByIds } from "./alerts.js";

/**
 * The alertRaised subscription's source: the tenant's new alert ids from the hub, each loaded in
 * a transaction of the subscriber's tenant (RLS again: an id of another tenant loads nothing).
 */
export function alertStream(rc: RequestContext): AsyncIterableIterator<Alert> {
  const principal = rc.principal;
  if (principal.kind === "anonymous") throw unauthenticated("Sign in first: send the token in the connection's authorization parameter.");
  if (principal.kind === "operator") throw forbidden("Operators see alerts in the support inbox.");
  if (!principal.scopes.includes("models:read"))
    throw forbidden('This subscription needs the "models:read" scope.', { scope: "models:read" });
  const ids = rc.services.alerts.subscribe(principal.tenantId);
  const load = (id: string) =>
    withTenant(rc.services.db.db, { tenantId: principal.tenantId }, (tx) =>
      alertsByIds({ principal, tx, requestId: rc.requestId }, [id]),
    ).then((rows) => rows[0]);
  return {
    async next(): Promise<IteratorResult<Alert>> {
      for (;;) {
        const r = await ids.next();
        if (r.done) return { value: undefined, done: true };
        const alert = await load(r.value);
        if (alert) return { value: alert, done: false };
      }
    },
    async return(): Promise<IteratorResult<Alert>> {
      await ids.return?.();
      return { value: undefined, done: true };
    },
    async throw(error: unknown): Promise<IteratorResult<Alert>> {
      await ids.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
