import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { hasAssetWithExternalId, parseDeviceToken } from "../assets/index.js";
import { applyIngestRollups, assertCanWrite, checkDailyQuota, dailyLimit, recordIngestUsage } from "../billing/index.js";
import { deviceCall } from "../core/calls.js";
import { DEVICE_SCOPES, type DevicePrincipal } from "../core/context.js";
import { type AppError, forbidden, unauthenticated, validation } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { sha256 } from "../core/secrets.js";
import { type Db, withTenant } from "../db/client.js";
import type { DeviceContext, IngestDeps } from "./deps.js";
import { countAcceptedBatch } from "./diagnostics.js";
import { batchMarks } from "./ingest-hours.js";
import { influxV1Precision, type Precision, type RefusalKind, validateBatch } from "./line-protocol.js";
import { markDirtyHours } from "./rollup-marks.js";
import { recordNewSeries, seriesBudget } from "./series.js";
import type { DeviceScope } from "./targets.js";

export type IngestSource = "http_v1" | "http_v2" | "mqtt";

/** Points may be at most this far in the future (clock skew of gateways). */
export const MAX_FUTURE_MS = 60 * 60 * 1000;

export async function authenticateDevice(db: Db, credential: string | undefined): Promise<DevicePrincipal> {
  if (!credential) throw unauthenticated('Send the device token: "Authorization: Token <token>" (or the v1 "p" parameter).');
  const parsed = parseDeviceToken(credential);
  if (!parsed) throw unauthenticated("The device token is malformed.");
  const [row] = await db.sql<{ tenant_id: string; device_id: string; secret_hash: string; revoked_at: string | null }[]>`
    select tenant_id, device_id, secret_hash, revoked_at from ingest_find_device_token(${parsed.prefix})`;
  const presented = Buffer.from(sha256(credential), "hex");
  const stored = Buffer.from(row?.secret_hash ?? "0".repeat(64), "hex");
  if (!row || !timingSafeEqual(presented, stored)) throw unauthenticated("The device token is not valid.");
  if (row.revoked_at) throw unauthenticated("The device token has been revoked.");
  await db.sql`select ingest_touch_device_token(${parsed.prefix})`;
  return { kind: "device", tenantId: row.tenant_id, deviceId: row.device_id, scopes: DEVICE_SCOPES };
}

/** The MQTT bridge's device lookup: the broker authenticated the client; is the device still live? */
export async function findDevice(db: Db, deviceId: string): Promise<DevicePrincipal | undefined> {
  const [row] = await db.sql<
    { tenant_id: string; live_tokens: number }[]
  >`select tenant_id, live_tokens from ingest_find_device(${deviceId})`;
  return row && row.live_tokens > 0 ? { kind: "device", tenantId: row.tenant_id, deviceId, scopes: DEVICE_SCOPES } : undefined;
}

/**
 * Whether a refusal may be about an asset of the tenant that this device may not write: the device's scope
 * knows only its own assets, so an unknown one is looked up among the tenant's before the answer is chosen.
 */
function mayBeOwnAsset(kind: RefusalKind): boolean {
  switch (kind) {
    case "unknown-asset":
      return true;
    case "syntax":
    case "tag":
    case "field":
    case "field-type":
    case "value-range":
    case "timestamp":
    case "too-large":
    case "empty":
    case "target":
      return false;
  }
}

async function refusal(
  deps: IngestDeps,
  scope: DeviceScope,
  line: number,
  reason: string,
  unknownAsset: string | undefined,
): Promise<AppError> {
  if (unknownAsset !== undefined) {
    const own = await withTenant(deps.db.db, { tenantId: scope.tenantId }, (tx) =>
      hasAssetWithExternalId({ tx, principal: { tenantId: scope.tenantId } }, unknownAsset),
    );
    if (own) return forbidden(`line ${line}: this device may not write for asset "${unknownAsset}"`, { line, asset: unknownAsset });
  }
  return validation(`line ${line}: ${reason}`, { line });
}

export interface IngestResult {
  readonly points: number;
  /** False when the same batch was accepted before (it is stored again, but billed once). */
  readonly billed: boolean;
}

/**
 * The one ingest path of HTTP and MQTT: validate the whole batch, count its new series against
 * the tenant's budget, check the quota, write to the tenant's database, and only once InfluxDB
 * accepted it, record the usage (idempotently).
 */
export async function ingest(
  ctx: DeviceContext<IngestDeps>,
  input: { body: string; raw?: Uint8Array; precision: Precision; source: IngestSource },
): Promise<IngestResult> {
  const { deps, principal: device } = ctx;
  const scope = await deps.scopes.get(device.tenantId, device.deviceId);
  if (!scope) throw unauthenticated("The device no longer exists.");
  // A tenant whose billing is read-only or cancelled keeps its data readable but stores nothing new.
  assertCanWrite(scope.billing);
  const now = deps.clock.now().getTime();
  let unknownAsset: string | undefined;
  const result = validateBatch(
    input.body,
    (measurement, asset) => {
      const target = scope.targets.get(asset);
      if (!target) {
        unknownAsset = asset;
        return { kind: "unknown-asset", reason: `unknown asset "${asset}" (tag asset=<external id of one of this device's assets>)` };
      }
      if (target.typeKey !== measurement) {
        return {
          kind: "target",
          reason: `asset "${asset}" is a ${target.typeKey}: write its points to measurement "${target.typeKey}", not "${measurement}"`,
        };
      }
      return target;
    },
    { precision: input.precision, nowMs: now, oldestMs: now - scope.retentionDays * 86_400_000, newestMs: now + MAX_FUTURE_MS },
  );
  if (!result.ok) {
    throw await refusal(deps, scope, result.line, result.reason, mayBeOwnAsset(result.kind) ? unknownAsset : undefined);
  }

  // Points with a timestamp land on the same series and time when a batch is sent again, so the
  // batch's content identifies it; points without one get the server's time, so each request counts.
  const key =
    result.untimed > 0
      ? `req:${randomUUID()}`
      : `lp:${createHash("sha256")
          .update(`${input.precision}\n`)
          .update(input.raw ?? input.body)
          .digest("hex")}`;
  const assetIds: string[] = [];
  const assetPoints: number[] = [];
  for (const [externalId, points] of result.perAsset) {
    const target = scope.targets.get(externalId);
    if (target) {
      assetIds.push(target.assetId);
      assetPoints.push(points);
    }
  }

  // The usage is recorded in a transaction that commits only after InfluxDB accepted the batch:
  // a failed write bills nothing, and a stored batch is billed (but for a failed commit).
  const unknownSeries = deps.series.unknown(scope.tenantId, result.series);
  const billed = await deviceCall(deps, device, ctx.requestId, async (ctx) => {
    const tx = ctx.tx;
    // New series first: the whole batch is refused before InfluxDB sees it when they do not fit.
    await recordNewSeries(tx, { tenantId: scope.tenantId, unknown: unknownSeries, limit: seriesBudget(scope.billing.plan?.maxSeries) });
    // The plan's points per day and the tenant's own daily quota: the smaller wins.
    const limit = dailyLimit(scope.billing.plan, "points_ingested", scope.dailyPointQuota);
    await checkDailyQuota(ctx, { meter: "points_ingested", quantity: result.points, limit, now });
    const usage = {
      id: newId("usage"),
      quantity: result.points,
      idempotencyKey: key,
      source: input.source,
      at: new Date(now),
      assetIds,
      assetPoints,
    };
    const recorded = await recordIngestUsage(ctx, usage);
    // Creates a missing database only: a retention is applied where it changes (retention.ts).
    await deps.store.ensureDatabase(scope.tenantId, scope.retentionDays);
    // The bytes as received go to InfluxDB: no second encoding of a large body.
    const writeStarted = Date.now();
    await deps.store.write(scope.tenantId, input.raw ?? input.body, influxV1Precision(input.precision));
    // The hours the batch touched, once its points are stored: the rollup step recomputes them
    // after this commits, and reads take those hours from the raw points until then.
    const measurementOf = (asset: string) => scope.targets.get(asset)?.typeKey;
    await markDirtyHours(tx, scope.tenantId, batchMarks({ ...result, measurementOf }, writeStarted, Date.now()));
    if (recorded) await applyIngestRollups(ctx, usage);
    // Last: the device's row is then locked only for the commit (diagnostics.ts).
    const protocol = input.source === "mqtt" ? "mqtt" : "http";
    await countAcceptedBatch(tx, {
      tenantId: scope.tenantId,
      deviceId: device.deviceId,
      protocol,
      points: result.points,
      at: new Date(now),
    });
    return recorded;
  });
  deps.series.remember(scope.tenantId, unknownSeries.keys());
  return { points: result.points, billed };
}
