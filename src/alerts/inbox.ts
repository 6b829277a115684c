import { and, desc, eq, gte, inArray, lt, type SQL } from "drizzle-orm";
import { getAsset } from "../assets/index.js";
import { type TenantContext } from "../core/context.js";
import { AppError, validation } from "../core/errors.js";
import { type Page, type PageRequest, toPage } from "../core/pagination.js";
import { type Alert, alertsByIds, markAcknowledged, selectAlerts } from "./alerts.js";
import { type AlertKind, type AlertStatus, alerts } from "./schema.js";

/** How many alerts one acknowledgeAlerts call may name. */
export const MAX_ACKNOWLEDGE = 100;

export interface ListAlertsInput {
  readonly page: PageRequest;
  readonly assetId?: string | null | undefined;
  readonly statuses?: readonly AlertStatus[] | null | undefined;
  readonly kinds?: readonly AlertKind[] | null | undefined;
  /** Raised at or after this time. */
  readonly raisedSince?: Date | null | undefined;
  /** Raised before this time. */
  readonly raisedUntil?: Date | null | undefined;
}

/**
 * The inbox: newest first (ids sort by creation time), the cursor is the last id seen, so alerts
 * raised while a person pages through the list appear above the first page and move nothing below.
 */
export async function listAlerts(ctx: TenantContext, input: ListAlertsInput): Promise<Page<Alert>> {
  const filters: SQL[] = [eq(alerts.tenantId, ctx.principal.tenantId)];
  if (input.assetId) {
    await getAsset(ctx, input.assetId);
    filters.push(eq(alerts.assetId, input.assetId));
  }
  if (input.statuses && input.statuses.length > 0) filters.push(inArray(alerts.status, [...input.statuses]));
  if (input.kinds && input.kinds.length > 0) filters.push(inArray(alerts.kind, [...input.kinds]));
  if (input.raisedSince && input.raisedUntil && input.raisedSince.getTime() >= input.raisedUntil.getTime()) {
    throw validation('"raisedSince" must be before "raisedUntil".', { field: "raisedSince" });
  }
  if (input.raisedSince) filters.push(gte(alerts.openedAt, input.raisedSince));
  if (input.raisedUntil) filters.push(lt(alerts.openedAt, input.raisedUntil));
  if (input.page.afterKey) {
    if (!input.page.afterKey.startsWith("alr_")) throw validation('"after" is not a cursor returned by this API.', { field: "after" });
    filters.push(lt(alerts.id, input.page.afterKey));
  }
  const rows = await selectAlerts(ctx)
    .where(and(...filters))
    .orderBy(desc(alerts.id))
    .limit(input.page.first + 1);
  return toPage(rows, input.page, (r) => r.id);
}

/**
 * Acknowledges up to MAX_ACKNOWLEDGE alerts at once, all or nothing: an id that is not one of the
 * tenant's alerts answers NOT_FOUND naming it and nothing changes. Duplicates count once; alerts
 * acknowledged or resolved already are left as they are. Each alert acknowledged now gets the
 * audit entry acknowledgeAlert writes. Answers the alerts in the order first named.
 */
export async function acknowledgeAlerts(ctx: TenantContext, ids: readonly string[]): Promise<Alert[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw validation('"ids" must name at least one alert.', { field: "ids" });
  if (unique.length > MAX_ACKNOWLEDGE) {
    throw validation(`"ids" may name at most ${MAX_ACKNOWLEDGE} alerts; got ${unique.length}. Acknowledge them in batches.`, {
      field: "ids",
      max: MAX_ACKNOWLEDGE,
    });
  }
  // Locked, so that a concurrent acknowledgement of the same alerts waits and then leaves them be.
  const found = await ctx.tx
    .select({ id: alerts.id, assetId: alerts.assetId, status: alerts.status })
    .from(alerts)
    .where(and(eq(alerts.tenantId, ctx.principal.tenantId), inArray(alerts.id, unique)))
    .for("update");
  const known = new Map(found.map((r) => [r.id, r]));
  const missing = unique.filter((id) => !known.has(id));
  const [first] = missing;
  if (first !== undefined) {
    const more = missing.length > 1 ? ` (and ${missing.length - 1} more, listed in "ids")` : "";
    throw new AppError("NOT_FOUND", `Alert ${first} does not exist${more}; no alert was acknowledged.`, { id: first, ids: missing });
  }
  await markAcknowledged(
    ctx,
    found.filter((r) => r.status === "open"),
  );
  const rows = new Map((await alertsByIds(ctx, unique)).map((r) => [r.id, r]));
  return unique.flatMap((id) => {
    const row = rows.get(id);
    return row ? [row] : [];
  });
}
