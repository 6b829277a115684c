import { SCOPES } from "../auth/scopes.js";
import type { TenantContext } from "../core/context.js";
import { type Db, withTenant } from "../db/client.js";

/**
 * Runs a verb inside one tenant as a workflow: the same RLS-scoped transaction as a request, with
 * the workflow id as the actor in audit entries.
 */
export function asWorkflow<T>(db: Db, tenantId: string, workflowId: string, fn: (ctx: TenantContext) => Promise<T>): Promise<T> {
  return withTenant(db.db, { tenantId }, (tx) =>
    fn({ principal: { kind: "workflow", tenantId, workflowId, scopes: SCOPES }, tx, requestId: workflowId }),
  );
}
