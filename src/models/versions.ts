import { createHash } from "node:crypto";
import { and, desc, eq, lt, max, sql } from "drizzle-orm";
import type { TenantContext } from "../core/context.js";
import { notFound, validation } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { type Page, type PageRequest, toPage } from "../core/pagination.js";
import { getModel } from "./models.js";
import { modelArtifacts, models, modelVersions } from "./schema.js";

export type ModelVersion = Omit<typeof modelVersions.$inferSelect, "tenantId">;

export const versionColumns = {
  id: modelVersions.id,
  modelId: modelVersions.modelId,
  version: modelVersions.version,
  runId: modelVersions.runId,
  params: modelVersions.params,
  metrics: modelVersions.metrics,
  lineage: modelVersions.lineage,
  featureConfigHash: modelVersions.featureConfigHash,
  codeVersion: modelVersions.codeVersion,
  artifactSha256: modelVersions.artifactSha256,
  createdAt: modelVersions.createdAt,
};

export interface RegisterVersionInput {
  readonly modelId: string;
  readonly runId: string;
  readonly params: Record<string, unknown>;
  readonly metrics: Record<string, unknown>;
  readonly lineage: Record<string, unknown>;
  readonly featureConfigHash: string;
  readonly codeVersion: string;
  /** The bytes, or the address of bytes stored before with storeArtifact. */
  readonly artifact: { readonly content: Uint8Array; readonly mediaType: string } | { readonly sha256: string };
}

/** At most this many bytes per model artifact. */
export const MAX_ARTIFACT_BYTES = 64 * 1024 * 1024;

/**
 * Stores the artifact (content-addressed) and a new version numbered after the model's last. A
 * run registers once: the same run id gives back the version registered before.
 */
export async function registerVersion(
  ctx: TenantContext,
  input: RegisterVersionInput,
): Promise<{ version: ModelVersion; created: boolean }> {
  const tenantId = ctx.principal.tenantId;
  if (!/^[\x21-\x7e]{1,200}$/.test(input.runId))
    throw validation("The run id must be 1 to 200 visible ASCII characters.", { field: "runId" });
  await getModel(ctx, input.modelId);
  // Numbers are handed out one at a time per model.
  await ctx.tx.execute(sql`select 1 from ${models} where ${models.tenantId} = ${tenantId} and ${models.id} = ${input.modelId} for update`);
  const [existing] = await ctx.tx
    .select(versionColumns)
    .from(modelVersions)
    .where(and(eq(modelVersions.tenantId, tenantId), eq(modelVersions.runId, input.runId)));
  if (existing) return { version: existing, created: false };

  const sha256 = "sha256" in input.artifact ? input.artifact.sha256 : await storeArtifact(ctx, input.artifact);
  if ("sha256" in input.artifact) {
    const [stored] = await ctx.tx
      .select({ sha256: modelArtifacts.sha256 })
      .from(modelArtifacts)
      .where(and(eq(modelArtifacts.tenantId, tenantId), eq(modelArtifacts.sha256, sha256)));
    if (!stored) throw notFound("Model artifact", sha256);
  }
  const [last] = await ctx.tx
    .select({ n: max(modelVersions.version) })
    .from(modelVersions)
    .where(and(eq(modelVersions.tenantId, tenantId), eq(modelVersions.modelId, input.modelId)));
  const [row] = await ctx.tx
    .insert(modelVersions)
    .values({
      tenantId,
      id: newId("modelVersion"),
      modelId: input.modelId,
      version: (last?.n ?? 0) + 1,
      runId: input.runId,
      params: input.params,
      metrics: input.metrics,
      lineage: input.lineage,
      featureConfigHash: input.featureConfigHash,
      codeVersion: input.codeVersion,
      artifactSha256: sha256,
    })
    .returning(versionColumns);
  if (!row) throw new Error("The model version was not stored");
  return { version: row, created: true };
}

/** Stores bytes under their sha256 (once per tenant) and returns the address. */
export async function storeArtifact(ctx: TenantContext, artifact: { content: Uint8Array; mediaType: string }): Promise<string> {
  const content = Buffer.from(artifact.content);
  if (content.length === 0 || content.length > MAX_ARTIFACT_BYTES) {
    throw validation(`A model artifact must hold 1 to ${MAX_ARTIFACT_BYTES} bytes.`, { field: "artifact" });
  }
  const sha256 = createHash("sha256").update(content).digest("hex");
  await ctx.tx
    .insert(modelArtifacts)
    .values({ tenantId: ctx.principal.tenantId, sha256, content, sizeBytes: content.length, mediaType: artifact.mediaType })
    .onConflictDoNothing({ target: [modelArtifacts.tenantId, modelArtifacts.sha256] });
  return sha256;
}

export async function getVersion(ctx: TenantContext, id: string): Promise<ModelVersion> {
  const [row] = await ctx.tx
    .select(versionColumns)
    .from(modelVersions)
    .where(and(eq(modelVersions.tenantId, ctx.principal.tenantId), eq(modelVersions.id, id)));
  if (!row) throw notFound("Model version", id);
  return row;
}

/** Newest first. */
export async function listVersions(ctx: TenantContext, input: { modelId: string; page: PageRequest }): Promise<Page<ModelVersion>> {
  await getModel(ctx, input.modelId);
  const own = and(eq(modelVersions.tenantId, ctx.principal.tenantId), eq(modelVersions.modelId, input.modelId));
  const rows = await ctx.tx
    .select(versionColumns)
    .from(modelVersions)
    .where(input.page.afterKey ? and(own, lt(modelVersions.id, input.page.afterKey)) : own)
    .orderBy(desc(modelVersions.id))
    .limit(input.page.first + 1);
  return toPage(rows, input.page, (r) => r.id);
}

/** The bytes of an artifact; checked against their address before anyone deserialises them. */
export async function loadArtifact(ctx: TenantContext, sha256: string): Promise<Buffer> {
  const [row] = await ctx.tx
    .select({ content: modelArtifacts.content })
    .from(modelArtifacts)
    .where(and(eq(modelArtifacts.tenantId, ctx.principal.tenantId), eq(modelArtifacts.sha256, sha256)));
  if (!row) throw notFound("Model artifact", sha256);
  const actual = createHash("sha256").update(row.content).digest("hex");
  if (actual !== sha256) throw new Error(`Model artifact ${sha256} is corrupt (its bytes hash to ${actual})`);
  return row.content;
}
