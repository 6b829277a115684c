import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ErrorCode } from "../core/errors.js";
import { contentSecurityPolicy } from "./csp.js";

/** Where `npm run build` writes the portal (vite build): dist/web beside dist/src. */
export const DEFAULT_PORTAL_DIR = fileURLToPath(new URL("../../web/", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

/**
 * Paths that belong to the API: never answered with the portal's page. Vite's hashed files share
 * /assets/ with the asset pages (/assets/<id>); the files always have an extension, the pages never.
 */
const API_PREFIXES = ["/graphql", "/api/", "/write", "/export/", "/stripe/", "/.well-known/", "/healthz", "/readyz"];

interface PortalFile {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
  /** Vite puts content-hashed files under /assets/: cached for a year, never revalidated. */
  readonly immutable: boolean;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** The built portal, read once into memory (a few hundred kilobytes); undefined when it was not built. */
export async function loadPortal(dir: string): Promise<Map<string, PortalFile> | undefined> {
  let paths: string[];
  try {
    paths = await filesUnder(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const files = new Map<string, PortalFile>();
  for (const path of paths) {
    const type = TYPES[extname(path)];
    if (type === undefined) continue; // source maps and the like stay on disk
    const url = `/${relative(dir, path).split(sep).join("/")}`;
    const body = await readFile(path);
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    files.set(url, { body, type, etag, immutable: url.startsWith("/assets/") });
  }
  return files.has("/index.html") ? files : undefined;
}

function send(request: FastifyRequest, reply: FastifyReply, file: PortalFile) {
  reply
    .header("content-security-policy", contentSecurityPolicy(request.headers.host))
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .header("x-frame-options", "DENY")
    .header("cross-origin-opener-policy", "same-origin")
    .header("etag", file.etag)
    .header("cache-control", file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (request.headers["if-none-match"] === file.etag) return reply.status(304).send();
  return reply.type(file.type).send(file.body);
}

/**
 * Serves the portal on the API's own origin: its files, and index.html for every other page path a
 * browser asks for (the portal routes in the browser). API paths, missing files and requests that
 * do not accept HTML keep the API's 404.
 */
export async function registerPortal(app: FastifyInstance, dir: string = DEFAULT_PORTAL_DIR): Promise<void> {
  const files = await loadPortal(dir);
  if (!files) {
    app.log.warn({ dir }, "the portal is not built; / answers 404");
    app.get("/", async (request, reply) =>
      reply.status(404).send({
        code: "NOT_FOUND" satisfies ErrorCode,
        message: "The web portal is not built on this server: run `npm run build`, which writes it to dist/web.",
        requestId: request.id,
      }),
    );
    return;
  }
  const index = files.get("/index.html");
  if (!index) return;
  app.get("/", async (request, reply) => send(request, reply, index));
  app.get("/*", async (request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    const file = files.get(path);
    if (file) return send(request, reply, file);
    // A browser opening a page asks for HTML; API clients asking for anything else keep the JSON 404.
    const wantsHtml = (request.headers.accept ?? "").includes("text/html");
    const isPage = wantsHtml && !API_PREFIXES.some((p) => path.startsWith(p)) && extname(path) === "";
    return isPage ? send(request, reply, index) : reply.callNotFound();
  });
}
