import { and, desc, eq, gte, inArray, lt, or, type SQL } from "drizzle-orm";
import { requireAssets } from "../assets/index.js";
import { assets } from "../assets/schema.js";
import { actorName, recordAudit } from "../audit/index.js";
import { actorOf, type TenantContext } from "../core/context.js";
import { validation } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { type Page, type PageRequest, toPage } from "../core/pagination.js";
import { MAINTENANCE_KINDS, type MaintenanceKind, maintenanceEvents } from "./schema.js";

/** An event with what a list row shows of its asset and of who recorded it. */
export type MaintenanceEvent = Omit<typeof maintenanceEvents.$inferSelect, "tenantId"> & {
  readonly assetName: string;
  readonly assetExternalId: string;
  readonly recordedByName: string | null;
};

/** Events may be recorded up to this far ahead of the server clock (clock skew of the recorder). */
const MAX_FUTURE_MS = 5 * 60_000;
const EARLIEST = Date.UTC(1970, 0, 1);

const columns = {
  id: maintenanceEvents.id,
  assetId: maintenanceEvents.assetId,
  assetName: assets.name,
  assetExternalId: assets.externalId,
  kind: maintenanceEvents.kind,
  occurredAt: maintenanceEvents.occurredAt,
  note: maintenanceEvents.note,
  recordedBy: maintenanceEvents.recordedBy,
  recordedByName: actorName(maintenanceEvents.recordedBy, maintenanceEvents.tenantId),
  createdAt: maintenanceEvents.createdAt,
};

/** Events joined to their assets: one query whatever the number of rows. */
function selectEvents(ctx: TenantContext) {
  return ctx.tx
    .select(columns)
    .from(maintenanceEvents)
    .innerJoin(assets, and(eq(assets.tenantId, maintenanceEvents.tenantId), eq(assets.id, maintenanceEvents.assetId)))
    .$dynamic();
}

export interface RecordEventInput {
  readonly assetId: string;
  readonly kind: MaintenanceKind;
  readonly occurredAt: Date;
  readonly note?: string | null | undefined;
}

function checkEvent(input: RecordEventInput): { note: string } {
  if (!MAINTENANCE_KINDS.includes(input.kind)) {
    throw validation(`Unknown kind "${input.kind}"; use ${MAINTENANCE_KINDS.join(", ")}.`, { field: "kind" });
  }
  const at = input.occurredAt.getTime();
  if (Number.isNaN(at) || at < EARLIEST || at > Date.now() + MAX_FUTURE_MS) {
    throw validation('"occurredAt" must be a time between 1970 and now: events are recorded once they happened.', {
      field: "occurredAt",
    });
  }
  const note = (input.note ?? "").trim();
  if (note.length > 2000) throw validation("The note may be at most 2,000 characters long.", { field: "note" });
  return { note };
}

/** Records a failure, repair or inspection of one of the tenant's assets. */
export async function recordMaintenanceEvent(ctx: TenantContext, input: RecordEventInput): Promise<MaintenanceEvent> {
  const { note } = checkEvent(input);
  await requireAssets(ctx, [input.assetId]);
  const actor = actorOf(ctx.principal);
  const [inserted] = await ctx.tx
    .insert(maintenanceEvents)
    .values({
      tenantId: ctx.principal.tenantId,
      id: newId("maintenanceEvent"),
      assetId: input.assetId,
      kind: input.kind,
      occurredAt: input.occurredAt,
      note,
      recordedBy: `${actor.kind}:${actor.id}`,
    })
    .returning({ id: maintenanceEvents.id });
  const [row] = inserted
    ? await selectEvents(ctx).where(and(eq(maintenanceEvents.tenantId, ctx.principal.tenantId), eq(maintenanceEvents.id, inserted.id)))
    : [];
  if (!row) throw new Error("The maintenance event was not stored");
  await recordAudit(ctx, {
    action: "maintenance.record",
    targetType: "asset",
    targetId: input.assetId,
    data: { eventId: row.id, kind: row.kind, occurredAt: row.occurredAt.toISOString() },
  });
  return row;
}

export interface ListEventsInput {
  readonly page: PageRequest;
  readonly assetId?: string | null | undefined;
  readonly kinds?: readonly MaintenanceKind[] | null | undefined;
  readonly from?: Date | null | undefined;
  readonly to?: Date | null | undefined;
}

/** Newest first; the cursor is the last event's time and id. */
export async function listMaintenanceEvents(ctx: TenantContext, input: ListEventsInput): Promise<Page<MaintenanceEvent>> {
  const filters: SQL[] = [eq(maintenanceEvents.tenantId, ctx.principal.tenantId)];
  if (input.assetId) {
    await requireAssets(ctx, [input.assetId]);
    filters.push(eq(maintenanceEvents.assetId, input.assetId));
  }
  if (input.kinds && input.kinds.length > 0) filters.push(inArray(maintenanceEvents.kind, [...input.kinds]));
  if (input.from && input.to && input.from.getTime() >= input.to.getTime()) {
    throw validation('"from" must be before "to".', { field: "from" });
  }
  if (input.from) filters.push(gte(maintenanceEvents.occurredAt, input.from));
  if (input.to) filters.push(lt(maintenanceEvents.occurredAt, input.to));
  if (input.page.afterKey) {
    const [time, id] = input.page.afterKey.split("|");
    const after = new Date(time ?? "");
    if (!id || Number.isNaN(after.getTime())) throw validation('"after" is not a cursor returned by this API.', { field: "after" });
    const olderTime = lt(maintenanceEvents.occurredAt, after);
    const sameTimeLowerId = and(eq(maintenanceEvents.occurredAt, after), lt(maintenanceEvents.id, id));
    const keyset = or(olderTime, sameTimeLowerId);
    if (keyset) filters.push(keyset);
  }
  const rows = await selectEvents(ctx)
    .where(and(...filters))
    .orderBy(desc(maintenanceEvents.occurredAt), desc(maintenanceEvents.id))
    .limit(input.page.first + 1);
  return toPage(rows, input.page, (r) => `${r.occurredAt.toISOString()}|${r.id}`);
}

/** The failures of a set of assets, oldest first: what labels run-to-failure series. */
export async function failuresOf(ctx: TenantContext, assetIds: readonly string[]): Promise<MaintenanceEvent[]> {
  if (assetIds.length === 0) return [];
  return selectEvents(ctx)
    .where(
      and(
        eq(maintenanceEvents.tenantId, ctx.principal.tenantId),
        inArray(maintenanceEvents.assetId, [...assetIds]),
        eq(maintenanceEvents.kind, "failure"),
      ),
    )
    .orderBy(maintenanceEvents.occurredAt, maintenanceEvents.id);
}
