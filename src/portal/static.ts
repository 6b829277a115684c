import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, gzip, constants as zlib } from "node:zlib";
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
const API_PREFIXES = ["/graphql", "/api/", "/write", "/export/", "/stripe/", "/.well-known/", "/healthz", "/readyz", "/health", "/ping"];

interface PortalFile {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
  /** Vite puts content-hashed files under /assets/: cached for a year, never revalidated. */
  readonly immutable: boolean;
  /** Text worth compressing: its brotli and gzip forms, made on first request and kept. */
  readonly compressible: boolean;
  readonly encoded: Map<Encoding, Promise<Buffer>>;
}

type Encoding = "br" | "gzip";

const COMPRESSIBLE = /^(text\/|application\/(json|manifest\+json)|image\/svg\+xml)/;
const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

function encode(file: PortalFile, encoding: Encoding): Promise<Buffer> {
  let body = file.encoded.get(encoding);
  if (!body) {
    body =
      encoding === "br"
        ? brotli(file.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: file.body.length } })
        : gzipped(file.body, { level: 9 });
    file.encoded.set(encoding, body);
  }
  return body;
}

/** The best encoding the client accepts (a `;q=0` refuses one), or undefined for the plain file. */
function acceptedEncoding(header: string | string[] | undefined): Encoding | undefined {
  const offered = new Map<string, number>();
  for (const part of String(header ?? "").split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    offered.set(name, q === undefined ? 1 : Number(q));
  }
  for (const encoding of ["br", "gzip"] as const) if ((offered.get(encoding) ?? 0) > 0) return encoding;
  return undefined;
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
    files.set(url, {
      body,
      type,
      etag,
      immutable: url.startsWith("/assets/"),
      compressible: COMPRESSIBLE.test(type) && body.length >= 1024,
      encoded: new Map(),
    });
  }
  return files.has("/index.html") ? files : undefined;
}

async function send(request: FastifyRequest, reply: FastifyReply, file: PortalFile) {
  const encoding = file.compressible ? acceptedEncoding(request.headers["accept-encoding"]) : undefined;
  // One entity tag per representation: a cache never answers a gzip body to a client that asked for none.
  const etag = encoding ? `${file.etag.slice(0, -1)}-${encoding}"` : file.etag;
  if (file.compressible) reply.header("vary", "accept-encoding");
  reply
    .header("content-security-policy", contentSecurityPolicy(request.headers.host))
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .header("x-frame-options", "DENY")
    .header("cross-origin-opener-policy", "same-origin")
    .header("etag", etag)
    .header("cache-control", file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (request.headers["if-none-match"] === etag) return reply.status(304).send();
  if (!encoding) return reply.type(file.type).send(file.body);
  const body = await encode(file, encoding);
  return reply.header("content-encoding", encoding).type(file.type).send(body);
}

/** The GraphQL IDE's page in the build (web/graphiql.html): served at GET /graphql only, never under its own name. */
const IDE_PAGE = "/graphiql.html";

/** What the API serves of the build besides the portal's own paths. */
export interface PortalPages {
  /** Answers with the GraphQL IDE's page (its scripts are the portal's hashed files); undefined when it was not built. */
  readonly ide: ((request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>) | undefined;
}

/**
 * Serves the portal on the API's own origin: its files, and index.html for every other page path a
 * browser asks for (the portal routes in the browser). API paths, missing files and requests that
 * do not accept HTML keep the API's 404.
 */
export async function registerPortal(app: FastifyInstance, dir: string = DEFAULT_PORTAL_DIR): Promise<PortalPages> {
  const files = await loadPortal(dir);
  const idePage = files?.get(IDE_PAGE);
  files?.delete(IDE_PAGE);
  const pages: PortalPages = { ide: idePage ? (request, reply) => send(request, reply, idePage) : undefined };
  if (!files) {
    app.log.warn({ dir }, "the portal is not built; / answers 404");
    app.get("/", async (request, reply) =>
      reply.status(404).send({
        code: "NOT_FOUND" satisfies ErrorCode,
        message: "The web portal is not built on this server: run `npm run build`, which writes it to dist/web.",
        requestId: request.id,
      }),
    );
    return pages;
  }
  const index = files.get("/index.html");
  if (!index) return pages;
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
  return pages;
}
