/** Every table, for drizzle-kit and for typed queries. */
export * from "../auth/schema.js";
export * from "../operators/schema.js";
export * from "../tenancy/schema.js";
