import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { operatorCall, type RequestContext, tenantCall } from "../core/calls.js";
import type { Principal } from "../core/context.js";
import { AppError, httpStatus, unauthenticated, validation } from "../core/errors.js";
import {
  invoicePreviewCsv,
  operatorReconciliationCsv,
  operatorUnbillableCsv,
  operatorUsageCsv,
  reconciliationCsv,
  usageCsv,
} from "./csv.js";
import type { BillingServices } from "./deps.js";
import { tenantInvoicePreview, tenantReconciliation, tenantUsage } from "./finance.js";
import { parseGranularity, parseMeter } from "./finance-usage.js";
import { operatorReconciliation, operatorUsage } from "./operator-finance.js";
import { operatorUnbillableUsage } from "./operator-unbillable.js";

/** Who a request's Authorization header names: the edge resolves it, as for GraphQL. */
export type PrincipalOf = (authorization: string | undefined) => Promise<Principal>;

type Query = Partial<Record<"from" | "to" | "granularity" | "meter" | "reason", string>>;

function time(query: Query, field: "from" | "to"): Date {
  const value = query[field];
  const date = value === undefined ? undefined : new Date(value);
  if (!date || Number.isNaN(date.getTime())) {
    throw validation(`"${field}" is required: an ISO 8601 time on a whole hour, e.g. 2026-01-01T00:00:00Z.`, { field });
  }
  return date;
}

function reason(query: Query): string {
  if (query.reason === undefined)
    throw validation('"reason" is required: say why you need this access; it is recorded.', { field: "reason" });
  return query.reason;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** A CSV answer, or the error as JSON with its HTTP status (as the other HTTP routes answer). */
function csvRoute(
  services: BillingServices,
  principalOf: PrincipalOf,
  answer: (rc: RequestContext<BillingServices>, query: Query) => Promise<{ filename: string; body: string }>,
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    try {
      const principal = await principalOf(request.headers.authorization);
      if (principal.kind === "anonymous") throw unauthenticated('Send "Authorization: Bearer <token or API key>".');
      const { filename, body } = await answer({ requestId: request.id, principal, services }, (request.query ?? {}) as Query);
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${filename}"`)
        .header("cache-control", "no-store")
        .send(body);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return reply
        .status(httpStatus(error.code))
        .send({ code: error.code, message: error.message, ...error.details, requestId: request.id });
    }
  };
}

/**
 * The finance views as CSV downloads, authenticated like GraphQL (Authorization: Bearer <token or
 * API key>): the tenant's own with scope billing:read, and the operators' across tenants (finance
 * operators only, with a reason that is recorded).
 */
export function registerBillingExportRoutes(app: FastifyInstance, services: BillingServices, principalOf: PrincipalOf): void {
  app.get(
    "/billing/usage.csv",
    csvRoute(services, principalOf, async (rc, q) => {
      const input = { from: time(q, "from"), to: time(q, "to"), granularity: parseGranularity(q.granularity), meter: parseMeter(q.meter) };
      const rows = await tenantCall(rc, "billing:read", (ctx) => tenantUsage(ctx, input));
      return { filename: `usage_${day(input.from)}_${day(input.to)}_${input.granularity}.csv`, body: usageCsv(rows) };
    }),
  );
  app.get(
    "/billing/invoice-preview.csv",
    csvRoute(services, principalOf, async (rc) => {
      const preview = await tenantCall(rc, "billing:read", (ctx) => tenantInvoicePreview(ctx));
      return { filename: `invoice-preview_${day(preview.periodStart)}.csv`, body: invoicePreviewCsv(preview) };
    }),
  );
  app.get(
    "/billing/reconciliation.csv",
    csvRoute(services, principalOf, async (rc, q) => {
      const input = { from: time(q, "from"), to: time(q, "to") };
      const result = await tenantCall(rc, "billing:read", (ctx) => tenantReconciliation(ctx, input));
      return { filename: `reconciliation_${day(input.from)}_${day(input.to)}.csv`, body: reconciliationCsv(result) };
    }),
  );
  app.get(
    "/operator/billing/usage.csv",
    csvRoute(services, principalOf, async (rc, q) => {
      const input = { reason: reason(q), from: time(q, "from"), to: time(q, "to"), granularity: parseGranularity(q.granularity, "day") };
      const rows = await operatorCall(rc, (ctx) => operatorUsage(ctx, input));
      return { filename: `usage_all-tenants_${day(input.from)}_${day(input.to)}_${input.granularity}.csv`, body: operatorUsageCsv(rows) };
    }),
  );
  app.get(
    "/operator/billing/reconciliation.csv",
    csvRoute(services, principalOf, async (rc, q) => {
      const input = { reason: reason(q), from: time(q, "from"), to: time(q, "to") };
      const result = await operatorCall(rc, (ctx) => operatorReconciliation(ctx, input));
      return { filename: `reconciliation_all-tenants_${day(input.from)}_${day(input.to)}.csv`, body: operatorReconciliationCsv(result) };
    }),
  );
  app.get(
    "/operator/billing/unbillable.csv",
    csvRoute(services, principalOf, async (rc, q) => {
      const rows = await operatorCall(rc, (ctx) => operatorUnbillableUsage(ctx, { reason: reason(q) }));
      return { filename: "unbillable_all-tenants.csv", body: operatorUnbillableCsv(rows) };
    }),
  );
}
