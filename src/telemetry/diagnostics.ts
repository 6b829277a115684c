import { and, eq, sql } from "drizzle-orm";
import { deviceCall } from "../core/calls.js";
import type { Clock, TenantContext } from "../core/context.js";
import type { ErrorCode, ErrorDetails } from "../core/errors.js";
import type { Db, Tx } from "../db/client.js";
import type { DeviceContext } from "./deps.js";
import { deviceDiagnostics } from "./schema.js";

export type IngestProtocol = "http" | "mqtt";

/** The longest refusal message kept: the first bad line is quoted in it, and lines may be long. */
const MAX_MESSAGE_CHARS = 1_000;

export interface DeviceDiagnostics {
  readonly acceptedBatches: number;
  readonly acceptedPoints: number;
  readonly refusedBatches: number;
  readonly refusedPoints: number;
  readonly lastHttpAt: Date | null;
  readonly lastMqttAt: Date | null;
  readonly lastRefusal: {
    readonly at: Date;
    readonly protocol: IngestProtocol;
    readonly code: string;
    readonly message: string;
    readonly line: number | null;
  } | null;
}

/**
 * Counts an accepted batch of the device. Call it as the LAST statement of the ingest's
 * transaction: the device's row stays locked until the commit, so the device's parallel batches
 * queue only for that commit, and since nothing is locked after it, no two batches deadlock on it.
 */
export async function countAcceptedBatch(
  tx: Tx,
  input: { tenantId: string; deviceId: string; protocol: IngestProtocol; points: number; at: Date },
): Promise<void> {
  const at = input.at.toISOString();
  const http = input.protocol === "http" ? at : null;
  const mqtt = input.protocol === "mqtt" ? at : null;
  await tx.execute(sql`
    insert into device_diagnostics as d (tenant_id, device_id, accepted_batches, accepted_points, last_http_at, last_mqtt_at)
    values (${input.tenantId}, ${input.deviceId}, 1, ${input.points}, ${http}::timestamptz, ${mqtt}::timestamptz)
    on conflict (tenant_id, device_id) do update set
      accepted_batches = d.accepted_batches + 1,
      accepted_points = d.accepted_points + excluded.accepted_points,
      last_http_at = greatest(d.last_http_at, excluded.last_http_at),
      last_mqtt_at = greatest(d.last_mqtt_at, excluded.last_mqtt_at)`);
}

/** Points in a line protocol body: its lines that are neither blank nor comments (a refused batch is not parsed further). */
export function pointsInBody(body: string): number {
  let points = 0;
  let start = 0;
  while (start <= body.length) {
    const end = body.indexOf("\n", start);
    const stop = end === -1 ? body.length : end;
    let i = start;
    while (i < stop && (body[i] === " " || body[i] === "\t" || body[i] === "\r")) i++;
    if (i < stop && body[i] !== "#") points++;
    if (end === -1) break;
    start = end + 1;
  }
  return points;
}

/** A refusal as it is recorded: the error code and message the device was answered with. */
export interface Refusal {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: ErrorDetails;
}

/** Whether a refusal is the device's to see: not before it is known, nor our own failures. */
export const attributable = (refusal: Refusal): boolean => refusal.code !== "UNAUTHENTICATED" && refusal.code !== "INTERNAL";

/** The line a refusal names, if it names one. */
function lineOf(refusal: Refusal): number | null {
  const line = refusal.details.line;
  return typeof line === "number" && Number.isInteger(line) && line > 0 && line <= 2_147_483_647 ? line : null;
}

/**
 * Records a batch refused to an authenticated device: its counts, when it was seen, and the reason,
 * in a transaction of its own (the ingest's, if any, was rolled back). Refusals before the device
 * is known (a bad token, an unknown topic) are not attributable: callers record only `attributable` ones.
 */
export async function recordRefusal(
  ctx: DeviceContext<{ readonly db: Db; readonly clock: Clock }>,
  input: { protocol: IngestProtocol; refusal: Refusal; points: number },
): Promise<void> {
  const at = ctx.deps.clock.now().toISOString();
  const http = input.protocol === "http" ? at : null;
  const mqtt = input.protocol === "mqtt" ? at : null;
  const { refusal } = input;
  const message = refusal.message.slice(0, MAX_MESSAGE_CHARS);
  await deviceCall(ctx.deps, ctx.principal, ctx.requestId, async ({ tx, principal }) => {
    await tx.execute(sql`
      insert into device_diagnostics as d (tenant_id, device_id, refused_batches, refused_points, last_http_at, last_mqtt_at,
        last_refused_at, last_refusal_protocol, last_refusal_code, last_refusal_message, last_refusal_line)
      values (${principal.tenantId}, ${ctx.principal.deviceId}, 1, ${input.points}, ${http}::timestamptz, ${mqtt}::timestamptz,
        ${at}::timestamptz, ${input.protocol}, ${refusal.code}, ${message}, ${lineOf(refusal)}::integer)
      on conflict (tenant_id, device_id) do update set
        refused_batches = d.refused_batches + 1,
        refused_points = d.refused_points + excluded.refused_points,
        last_http_at = greatest(d.last_http_at, excluded.last_http_at),
        last_mqtt_at = greatest(d.last_mqtt_at, excluded.last_mqtt_at),
        last_refused_at = excluded.last_refused_at,
        last_refusal_protocol = excluded.last_refusal_protocol,
        last_refusal_code = excluded.last_refusal_code,
        last_refusal_message = excluded.last_refusal_message,
        last_refusal_line = excluded.last_refusal_line`);
  });
}

const NONE: DeviceDiagnostics = {
  acceptedBatches: 0,
  acceptedPoints: 0,
  refusedBatches: 0,
  refusedPoints: 0,
  lastHttpAt: null,
  lastMqttAt: null,
  lastRefusal: null,
};

/** A device's diagnostics; the caller has already found the device in its tenant (a device never seen has zeros). */
export async function deviceDiagnosticsOf(ctx: TenantContext, deviceId: string): Promise<DeviceDiagnostics> {
  const [row] = await ctx.tx
    .select()
    .from(deviceDiagnostics)
    .where(and(eq(deviceDiagnostics.tenantId, ctx.principal.tenantId), eq(deviceDiagnostics.deviceId, deviceId)));
  if (!row) return NONE;
  const { lastRefusedAt, lastRefusalProtocol, lastRefusalCode } = row;
  return {
    acceptedBatches: row.acceptedBatches,
    acceptedPoints: row.acceptedPoints,
    refusedBatches: row.refusedBatches,
    refusedPoints: row.refusedPoints,
    lastHttpAt: row.lastHttpAt,
    lastMqttAt: row.lastMqttAt,
    lastRefusal:
      lastRefusedAt && (lastRefusalProtocol === "http" || lastRefusalProtocol === "mqtt") && lastRefusalCode
        ? {
            at: lastRefusedAt,
            protocol: lastRefusalProtocol,
            code: lastRefusalCode,
            message: row.lastRefusalMessage ?? "",
            line: row.lastRefusalLine,
          }
        : null,
  };
}
