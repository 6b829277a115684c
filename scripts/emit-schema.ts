import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { lexicographicSortSchema, printSchema } from "graphql";
import { buildApiSchema } from "../src/api/schema.js";

/** The schema as committed in schema.graphql. */
export async function schemaText(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildApiSchema()))}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = fileURLToPath(new URL("../../schema.graphql", import.meta.url));
  writeFileSync(target, await schemaText());
  process.stdout.write(`wrote ${target}\n`);
}
