import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

// The API the development server forwards to (`npm run web:dev`); start it with `npm start`.
const api = process.env.PORTAL_API_URL ?? "http://127.0.0.1:4000";

/**
 * GraphiQL's stylesheet carries its fonts and a few lint icons as data: URLs, which the
 * Content-Security-Policy (font-src and img-src 'self') refuses: they are left out, and the IDE uses
 * the system's fonts like the portal.
 */
function withoutDataUrls(): Plugin {
  return {
    name: "graphiql-without-data-urls",
    enforce: "pre",
    transform(code, id) {
      if (!id.replaceAll("\\", "/").endsWith("/graphiql/dist/style.css")) return undefined;
      return code.replace(/@font-face\s*\{[^}]*\}/g, "").replace(/url\(\s*["']?data:[^)]*\)/g, "none");
    },
  };
}

export default defineConfig({
  plugins: [react(), withoutDataUrls()],
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    // No inline scripts or data: modules, so the Content-Security-Policy can stay strict.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // GraphiQL with its editor is about 1 MB minified (loaded only by the IDE page, cached for a year).
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      // The portal, and the GraphQL IDE the API serves at GET /graphql (src/portal/ide.ts).
      input: {
        index: fileURLToPath(new URL("index.html", import.meta.url)),
        graphiql: fileURLToPath(new URL("graphiql.html", import.meta.url)),
      },
      // GraphiQL's compiled components start with React Compiler's "use no memo", which bundling drops harmlessly.
      onLog(level, log, handler) {
        if (log.code === "MODULE_LEVEL_DIRECTIVE" && log.message.includes("use no memo")) return;
        handler(level, log);
      },
    },
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      "/graphql": { target: api, ws: true },
      "/api": { target: api },
    },
  },
});
