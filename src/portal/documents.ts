import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/**
 * The portal's operations by hash: `npm run build` writes the manifest of the portal's documents
 * (@graphql-codegen/client-preset's persistedDocuments, `"sha256:<hex>": "<document>"`) to
 * dist/portal-documents.json, beside dist/web and not served. The API loads it at start so the
 * portal sends only each operation's hash (APQ's `extensions.persistedQuery.sha256Hash`).
 */
export const DEFAULT_DOCUMENTS_FILE = fileURLToPath(new URL("../../portal-documents.json", import.meta.url));

const KEY = /^sha256:([0-9a-f]{64})$/;

/**
 * The manifest as hash (hex) → document. No file: an empty map (the API runs without the portal).
 * A file that is not such a manifest, or a hash that is not its document's SHA-256, stops start-up:
 * a hash must never answer another document.
 */
export async function loadPortalDocuments(file: string = DEFAULT_DOCUMENTS_FILE): Promise<ReadonlyMap<string, string>> {
  let raw: string;
  try {
    raw = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw error;
  }
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file} is not a manifest of persisted documents (an object of "sha256:<hex>": document)`);
  }
  const documents = new Map<string, string>();
  for (const [key, document] of Object.entries(parsed)) {
    const hash = KEY.exec(key)?.[1];
    if (!hash || typeof document !== "string") throw new Error(`${file}: "${key.slice(0, 80)}" is not "sha256:<hex>" with a document`);
    if (createHash("sha256").update(document).digest("hex") !== hash) {
      throw new Error(`${file}: the document of ${key} does not have that SHA-256; rebuild the portal (npm run build)`);
    }
    documents.set(hash, document);
  }
  return documents;
}
