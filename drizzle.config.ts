import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./dist/src/tables.js",
  out: "./migrations",
  migrations: { table: "__migrations", schema: "public" },
});
