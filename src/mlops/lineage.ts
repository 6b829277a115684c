import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

export const MODEL_MEDIA_TYPE = "application/vnd.pdm.rul-model+json";

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** The platform's version, recorded with every model it trains. */
export const PLATFORM_CODE_VERSION = `pdm-platform@${packageVersion()}`;

/** A stable hash of a model's feature and training configuration (keys sorted). */
export function featureConfigHash(params: unknown): string {
  return createHash("sha256").update(stableJson(params)).digest("hex");
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
