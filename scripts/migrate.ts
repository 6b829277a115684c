import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { parseOwnerConfig } from "../src/config.js";

/** Applies the migrations in migrations/ as the owner role. Safe to run again. */
export async function runMigrations(ownerUrl: string): Promise<void> {
  const client = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const folder = fileURLToPath(new URL("../../migrations", import.meta.url));
    await migrate(drizzle(client), { migrationsFolder: folder, migrationsTable: "__migrations", migrationsSchema: "public" });
  } finally {
    await client.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { DATABASE_OWNER_URL } = parseOwnerConfig(process.env);
  await runMigrations(DATABASE_OWNER_URL);
  process.stdout.write("migrations applied\n");
}
