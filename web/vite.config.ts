import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The API the development server forwards to (`npm run web:dev`); start it with `npm start`.
const api = process.env.PORTAL_API_URL ?? "http://127.0.0.1:4000";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    // No inline scripts or data: modules, so the Content-Security-Policy can stay strict.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
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
