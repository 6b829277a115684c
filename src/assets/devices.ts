import { randomBytes } from "node:crypto";
import { and, asc, eq, gt, inArray, isNull } from "drizzle-orm";
import { recordAudit } from "../audit/index.js";
import type { TenantContext } from "../core/context.js";
import { notFound, validation } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { type Page, type PageRequest, toPage } from "../core/pagination.js";
import { newSecret, sha256 } from "../core/secrets.js";
import { requireAssets } from "./assets.js";
import type { AssetsDeps } from "./deps.js";
import { deviceAssets, devices, deviceTokens } from "./schema.js";

type DeviceContext = TenantContext<AssetsDeps>;

export type DeviceToken = Omit<typeof deviceTokens.$inferSelect, "tenantId" | "secretHash">;
export interface Device {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly assetIds: readonly string[];
  readonly tokens: readonly DeviceToken[];
}

export const MAX_ASSETS_PER_DEVICE = 10_000;
const PREFIX_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const TOKEN_PATTERN = /^pdmd_([0-9a-hjkmnp-tv-z]{12})_([A-Za-z0-9_-]{43})$/;

/** `pdmd_<prefix>_<secret>`; the MQTT username is `pdmd_<prefix>`, the password the whole token. */
export function parseDeviceToken(value: string): { prefix: string; secret: string } | undefined {
  const match = TOKEN_PATTERN.exec(value);
  return match?.[1] && match[2] ? { prefix: match[1], secret: match[2] } : undefined;
}

export const mqttUsername = (prefix: string) => `pdmd_${prefix}`;

const tokenColumns = {
  id: deviceTokens.id,
  deviceId: deviceTokens.deviceId,
  prefix: deviceTokens.prefix,
  createdAt: deviceTokens.createdAt,
  lastUsedAt: deviceTokens.lastUsedAt,
  revokedAt: deviceTokens.revokedAt,
};

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 200) throw validation("The device name must be 1 to 200 characters long.", { field: "name" });
  return trimmed;
}

async function loadDevices(ctx: TenantContext, rows: readonly { id: string; name: string; createdAt: Date }[]): Promise<Device[]> {
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const tenant = eq(deviceAssets.tenantId, ctx.principal.tenantId);
  const links = await ctx.tx
    .select({ deviceId: deviceAssets.deviceId, assetId: deviceAssets.assetId })
    .from(deviceAssets)
    .where(and(tenant, inArray(deviceAssets.deviceId, ids)))
    .orderBy(asc(deviceAssets.assetId));
  const tokens = await ctx.tx
    .select(tokenColumns)
    .from(deviceTokens)
    .where(and(eq(deviceTokens.tenantId, ctx.principal.tenantId), inArray(deviceTokens.deviceId, ids)))
    .orderBy(asc(deviceTokens.id));
  return rows.map((r) => ({
    ...r,
    assetIds: links.filter((l) => l.deviceId === r.id).map((l) => l.assetId),
    tokens: tokens.filter((t) => t.deviceId === r.id),
  }));
}

export async function getDevice(ctx: TenantContext, id: string): Promise<Device> {
  const rows = await ctx.tx
    .select({ id: devices.id, name: devices.name, createdAt: devices.createdAt })
    .from(devices)
    .where(and(eq(devices.tenantId, ctx.principal.tenantId), eq(devices.id, id)));
  const [device] = await loadDevices(ctx, rows);
  if (!device) throw notFound("Device", id);
  return device;
}

export async function listDevices(ctx: TenantContext, page: PageRequest): Promise<Page<Device>> {
  const tenant = eq(devices.tenantId, ctx.principal.tenantId);
  const rows = await ctx.tx
    .select({ id: devices.id, name: devices.name, createdAt: devices.createdAt })
    .from(devices)
    .where(page.afterKey ? and(tenant, gt(devices.id, page.afterKey)) : tenant)
    .orderBy(asc(devices.id))
    .limit(page.first + 1);
  const loaded = await loadDevices(ctx, rows.slice(0, page.first));
  return toPage([...loaded, ...rows.slice(page.first).map((r) => ({ ...r, assetIds: [], tokens: [] }))], page, (d) => d.id);
}

async function replaceAssets(ctx: TenantContext, deviceId: string, assetIds: readonly string[]): Promise<void> {
  if (assetIds.length > MAX_ASSETS_PER_DEVICE)
    throw validation(`A device writes for at most ${MAX_ASSETS_PER_DEVICE} assets.`, { field: "assetIds" });
  await requireAssets(ctx, assetIds);
  await ctx.tx.delete(deviceAssets).where(and(eq(deviceAssets.tenantId, ctx.principal.tenantId), eq(deviceAssets.deviceId, deviceId)));
  const unique = [...new Set(assetIds)];
  if (unique.length > 0) {
    await ctx.tx.insert(deviceAssets).values(unique.map((assetId) => ({ tenantId: ctx.principal.tenantId, deviceId, assetId })));
  }
}

export interface IssuedDeviceToken {
  readonly token: DeviceToken;
  /** Shown once: `Authorization: Token <secret>` over HTTP, the MQTT password. */
  readonly secret: string;
  readonly mqttUsername: string;
  /** The only MQTT client id this token may connect with (the broker refuses any other). */
  readonly mqttClientId: string;
  readonly mqttTopic: string;
}

async function issueToken(ctx: DeviceContext, deviceId: string): Promise<IssuedDeviceToken> {
  const prefix = Array.from(randomBytes(12), (b) => PREFIX_ALPHABET[b % 32]).join("");
  const secret = `pdmd_${prefix}_${newSecret(32)}`;
  const [token] = await ctx.tx
    .insert(deviceTokens)
    .values({ tenantId: ctx.principal.tenantId, id: newId("deviceToken"), deviceId, prefix, secretHash: sha256(secret) })
    .returning(tokenColumns);
  if (!token) throw new Error("Insert returned no device token");
  // Inside the transaction: if the broker refuses, the token is not created either.
  await ctx.deps.deviceCredentials.upsert({ username: mqttUsername(prefix), password: secret, deviceId });
  await recordAudit(ctx, { action: "device_token.created", targetType: "device", targetId: deviceId, data: { tokenId: token.id, prefix } });
  const username = mqttUsername(prefix);
  return { token, secret, mqttUsername: username, mqttClientId: username, mqttTopic: `devices/${deviceId}/telemetry` };
}

export async function createDevice(
  ctx: DeviceContext,
  input: { name: string; assetIds: readonly string[] },
): Promise<{ device: Device; issued: IssuedDeviceToken }> {
  const name = checkName(input.name);
  const id = newId("device");
  await ctx.tx.insert(devices).values({ tenantId: ctx.principal.tenantId, id, name });
  await replaceAssets(ctx, id, input.assetIds);
  await recordAudit(ctx, { action: "device.created", targetType: "device", targetId: id, data: { name, assets: input.assetIds.length } });
  const issued = await issueToken(ctx, id);
  return { device: await getDevice(ctx, id), issued };
}

export async function setDeviceAssets(ctx: TenantContext, input: { deviceId: string; assetIds: readonly string[] }): Promise<Device> {
  await getDevice(ctx, input.deviceId);
  await replaceAssets(ctx, input.deviceId, input.assetIds);
  await recordAudit(ctx, {
    action: "device.assets_set",
    targetType: "device",
    targetId: input.deviceId,
    data: { assets: input.assetIds.length },
  });
  return getDevice(ctx, input.deviceId);
}

/** Rotation: a new token next to the old ones; revoke the old one once the device uses the new. */
export async function createDeviceToken(ctx: DeviceContext, input: { deviceId: string }): Promise<IssuedDeviceToken> {
  await getDevice(ctx, input.deviceId);
  return issueToken(ctx, input.deviceId);
}

/** Revoking is immediate over HTTP and disconnects the MQTT credential; twice is harmless. */
export async function revokeDeviceToken(ctx: DeviceContext, input: { id: string }): Promise<DeviceToken> {
  const where = and(eq(deviceTokens.tenantId, ctx.principal.tenantId), eq(deviceTokens.id, input.id));
  const [current] = await ctx.tx.select(tokenColumns).from(deviceTokens).where(where);
  if (!current) throw notFound("Device token", input.id);
  if (current.revokedAt) return current;
  const [row] = await ctx.tx
    .update(deviceTokens)
    .set({ revokedAt: ctx.deps.clock.now() })
    .where(and(where, isNull(deviceTokens.revokedAt)))
    .returning(tokenColumns);
  if (!row)
    return {
      ...current,
      revokedAt: (await ctx.tx.select(tokenColumns).from(deviceTokens).where(where))[0]?.revokedAt ?? ctx.deps.clock.now(),
    };
  await ctx.deps.deviceCredentials.remove(mqttUsername(row.prefix));
  await recordAudit(ctx, { action: "device_token.revoked", targetType: "device", targetId: row.deviceId, data: { tokenId: row.id } });
  return row;
}
