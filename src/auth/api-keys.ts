import { randomBytes } from "node:crypto";
import { and, asc, eq, gt } from "drizzle-orm";
import { recordAudit } from "../audit/index.js";
import { actorOf, type TenantContext } from "../core/context.js";
import { forbidden, notFound, validation } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { type Page, type PageRequest, toPage } from "../core/pagination.js";
import { newSecret, sha256 } from "../core/secrets.js";
import { apiKeys } from "./schema.js";
import { isScope, SCOPES, type Scope } from "./scopes.js";

export type ApiKey = Omit<typeof apiKeys.$inferSelect, "secretHash">;

const PREFIX_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const KEY_PATTERN = /^pdm_([0-9a-hjkmnp-tv-z]{12})_([A-Za-z0-9_-]{43})$/;

/** `pdm_<prefix>_<secret>`: the prefix finds the key, the secret proves it. */
export function parseApiKey(value: string): { prefix: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(value);
  return match?.[1] && match[2] ? { prefix: match[1], secret: match[2] } : undefined;
}

function newPrefix(): string {
  return Array.from(randomBytes(12), (b) => PREFIX_ALPHABET[b % 32]).join("");
}

const publicColumns = {
  tenantId: apiKeys.tenantId,
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  createdBy: apiKeys.createdBy,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

export function checkScopes(requested: readonly string[], held: readonly Scope[]): Scope[] {
  const unknown = requested.filter((s) => !isScope(s));
  if (unknown.length > 0) {
    throw validation(`Unknown scope(s): ${unknown.join(", ")}. Valid scopes: ${SCOPES.join(", ")}.`, { field: "scopes" });
  }
  const scopes = [...new Set(requested)].filter(isScope);
  if (scopes.length === 0) throw validation("An API key needs at least one scope.", { field: "scopes" });
  const beyond = scopes.filter((s) => !held.includes(s));
  if (beyond.length > 0) throw forbidden(`You cannot grant scopes you do not hold: ${beyond.join(", ")}.`);
  return scopes;
}

export async function createApiKey(
  ctx: TenantContext,
  input: { name: string; scopes: readonly string[] },
): Promise<{ apiKey: ApiKey; secret: string }> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 120) throw validation("The key name must be 1 to 120 characters long.", { field: "name" });
  const scopes = checkScopes(input.scopes, ctx.principal.scopes);
  const prefix = newPrefix();
  const secret = newSecret(32);
  const [row] = await ctx.tx
    .insert(apiKeys)
    .values({
      tenantId: ctx.principal.tenantId,
      id: newId("apiKey"),
      name,
      prefix,
      secretHash: sha256(secret),
      scopes,
      createdBy: actorOf(ctx.principal).id,
    })
    .returning(publicColumns);
  if (!row) throw new Error("Insert returned no API key");
  await recordAudit(ctx, { action: "api_key.created", targetType: "api_key", targetId: row.id, data: { name, scopes } });
  return { apiKey: row, secret: `pdm_${prefix}_${secret}` };
}

export async function listApiKeys(ctx: TenantContext, page: PageRequest): Promise<Page<ApiKey>> {
  const tenant = eq(apiKeys.tenantId, ctx.principal.tenantId);
  const rows = await ctx.tx
    .select(publicColumns)
    .from(apiKeys)
    .where(page.afterKey ? and(tenant, gt(apiKeys.id, page.afterKey)) : tenant)
    .orderBy(asc(apiKeys.id))
    .limit(page.first + 1);
  return toPage(rows, page, (r) => r.id);
}

/** Revoking twice is harmless: the second call returns the key as it is. */
export async function revokeApiKey(ctx: TenantContext, input: { id: string }): Promise<ApiKey> {
  const where = and(eq(apiKeys.tenantId, ctx.principal.tenantId), eq(apiKeys.id, input.id));
  const [current] = await ctx.tx.select(publicColumns).from(apiKeys).where(where);
  if (!current) throw notFound("API key", input.id);
  if (current.revokedAt) return current;
  const [row] = await ctx.tx.update(apiKeys).set({ revokedAt: new Date() }).where(where).returning(publicColumns);
  if (!row) throw notFound("API key", input.id);
  // The api_keys trigger announces it (migration 0028): every API process re-checks the
  // subscriptions opened with this key (or a key it created).
  await recordAudit(ctx, { action: "api_key.revoked", targetType: "api_key", targetId: row.id });
  return row;
}
