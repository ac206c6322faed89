import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const ROLES = ["member", "moderator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const members = pgTable(
  "members",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    username: text("username").notNull(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ROLES }).notNull().default("member"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    passwordChangedAt: timestamp("password_changed_at", { withTimezone: true }).notNull().defaultNow(),
    // Whether notifications are also sent by email (members opt out on their account page).
    emailNotifications: boolean("email_notifications").notNull().default(true),
    // Questions and answers written, kept here because trust levels are read on every request.
    postCount: integer("post_count").notNull().default(0),
    // Suspended while this lies ahead ('infinity' for a permanent suspension).
    suspendedUntil: timestamp("suspended_until", { withTimezone: true }),
    suspensionReason: text("suspension_reason"),
    // The member's client id in the host's billing system, set by an admin; reward grants need it.
    billingClientId: text("billing_client_id"),
  },
  (t) => [
    // Usernames and emails are unique regardless of case: "Alice" and "alice" are one person.
    uniqueIndex("members_username_lower_key").on(sql`lower(${t.username})`),
    uniqueIndex("members_email_lower_key").on(sql`lower(${t.email})`),
    check("members_role_check", sql`${t.role} in ('member', 'moderator', 'admin')`),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    // lucia's drizzle adapter requires the property names `userId` and `expiresAt`.
    userId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sessions_member_id_idx").on(t.userId)],
);

export const passwordResets = pgTable(
  "password_resets",
  {
    // Only a SHA-256 of the emailed token is stored, so a database leak cannot reset passwords.
    tokenHash: text("token_hash").primaryKey(),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("password_resets_member_id_idx").on(t.memberId)],
);
