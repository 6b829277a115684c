import { text, timestamp } from "drizzle-orm/pg-core";

/** Column helpers shared by every table, so the conventions are written once. */
export const tenantId = () => text("tenant_id").notNull();
export const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
export const timestampTz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
