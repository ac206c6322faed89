import { integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { members } from "./members";

/** Numbers admins can change (DESIGN.md: "admins can change the numbers in settings"), one row per group. */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedById: integer("updated_by_id").references(() => members.id),
});
