import type { OperationAccess } from "../core/access.js";
import type { RequestContext } from "../core/calls.js";
import { type AppError, forbidden, unauthenticated } from "../core/errors.js";
import { withTenant } from "../db/client.js";
import { type Alert, alertsByIds } from "./alerts.js";
import type { AlertStreamDeps } from "./deps.js";
import type { AlertTopic } from "./hub.js";

const SCOPE = "models:read" as const;

/** An operation that is never taken away (outside a graphql-ws connection, the request itself is checked). */
const ALWAYS: OperationAccess = { admit: async () => true, lost: new Promise(() => undefined), release: () => undefined };

/**
 * The source of alertRaised (topic `raised`) and of alertChanged (topic `changed`): the tenant's
 * new (or acknowledged and resolved) alert ids from the hub, each loaded as it is now in
 * a transaction of the subscriber's tenant (RLS again: an id of another tenant loads nothing), and
 * delivered only once the connection's access is known to allow it now: a re-check the change feed
 * asked for is waited for, a connection that lost its access delivers nothing more, and losing the
 * scope fails this subscription with FORBIDDEN.
 */
export function alertStream(rc: RequestContext<AlertStreamDeps>, topic: AlertTopic = "raised"): AsyncIterableIterator<Alert> {
  const principal = rc.principal;
  if (principal.kind === "anonymous") throw unauthenticated("Sign in first: send the token in the connection's authorization parameter.");
  if (principal.kind === "operator") throw forbidden("Operators see alerts in the support inbox.");
  if (!principal.scopes.includes(SCOPE)) throw forbidden(`This subscription needs the "${SCOPE}" scope.`, { scope: SCOPE });
  const access = rc.access?.operation(SCOPE) ?? ALWAYS;
  const ids = rc.services.alerts.subscribe(principal.tenantId, topic);
  let lost: { readonly error: AppError | undefined } | undefined;
  // Ends the hub's stream, which wakes a waiting next() to report why.
  void access.lost.then((error) => {
    lost = { error };
    void ids.return?.();
  });
  const load = (id: string) =>
    withTenant(rc.services.db.db, { tenantId: principal.tenantId }, (tx) =>
      alertsByIds({ principal, tx, requestId: rc.requestId, deps: {} }, [id]),
    ).then((rows) => rows[0]);
  const end = async (): Promise<IteratorResult<Alert>> => {
    access.release();
    await ids.return?.();
    return { value: undefined, done: true };
  };
  return {
    async next(): Promise<IteratorResult<Alert>> {
      for (;;) {
        const r = await ids.next();
        if (lost?.error) throw lost.error;
        if (lost || r.done) return end();
        const alert = await load(r.value);
        if (!alert) continue;
        let allowed: boolean;
        try {
          allowed = await access.admit();
        } catch (error) {
          await end();
          throw error;
        }
        if (!allowed) return end();
        return { value: alert, done: false };
      }
    },
    return: end,
    async throw(error: unknown): Promise<IteratorResult<Alert>> {
      await end();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
