import { sql } from "drizzle-orm";
import { bigint, check, index, integer, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { members } from "./members";
import { outboxEvents } from "./outbox";

/**
 * What an admin can grant: a credit in the host's billing system. Packages that were granted are
 * retired rather than deleted, so every grant keeps pointing at what it was.
 */
export const rewardPackages = pgTable(
  "reward_packages",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    name: text("name").notNull(),
    // Money is decimal, never floating point: numeric keeps cents exact and comes back as a string.
    creditAmount: numeric("credit_amount", { precision: 12, scale: 2 }).notNull(),
    currency: text("currency").notNull(),
    // The billing system's product or plan code, passed on to the receiver.
    productCode: text("product_code").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp("retired_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("reward_packages_name_lower_key").on(sql`lower(${t.name})`),
    check("reward_packages_credit_positive", sql`${t.creditAmount} > 0`),
    check("reward_packages_currency_code", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/**
 * A package granted to a moderator. Immutable once written (a trigger refuses changes): what was
 * granted, at what amount, by whom and why stays as it was even when the package is edited later.
 */
export const rewardGrants = pgTable(
  "reward_grants",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    // One per grant form: a double submit or two admins on one form meet this unique key.
    idempotencyKey: uuid("idempotency_key").notNull(),
    packageId: integer("package_id")
      .notNull()
      .references(() => rewardPackages.id),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id),
    grantedById: integer("granted_by_id")
      .notNull()
      .references(() => members.id),
    creditAmount: numeric("credit_amount", { precision: 12, scale: 2 }).notNull(),
    currency: text("currency").notNull(),
    reason: text("reason").notNull(),
    // Set when the admin granted despite the rules (not qualified, or already granted this period).
    overrideReason: text("override_reason"),
    eventId: uuid("event_id")
      .notNull()
      .references(() => outboxEvents.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("reward_grants_idempotency_key").on(t.idempotencyKey),
    index("reward_grants_member_idx").on(t.memberId, t.createdAt),
    index("reward_grants_package_member_idx").on(t.packageId, t.memberId, t.createdAt),
    index("reward_grants_created_idx").on(t.createdAt),
  ],
);

/** A grant taken back. At most one per grant, and never changed. */
export const rewardRevocations = pgTable(
  "reward_revocations",
  {
    grantId: integer("grant_id")
      .primaryKey()
      .references(() => rewardGrants.id),
    revokedById: integer("revoked_by_id")
      .notNull()
      .references(() => members.id),
    reason: text("reason").notNull(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => outboxEvents.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
);

export const LEDGER_ENTRY_KINDS = ["grant", "revoke"] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

/**
 * The credit ledger: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE). A member's
 * balance is the sum of their entries; a revocation adds a negative entry, it never edits one.
 */
export const rewardLedger = pgTable(
  "reward_ledger",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id),
    grantId: integer("grant_id")
      .notNull()
      .references(() => rewardGrants.id),
    kind: text("kind", { enum: LEDGER_ENTRY_KINDS }).notNull(),
    amount: numeric("amount", { precision: 12, scale: 2 }).notNull(),
    currency: text("currency").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A grant has one entry and at most one reversal, whatever races there are.
    uniqueIndex("reward_ledger_grant_kind_key").on(t.grantId, t.kind),
    index("reward_ledger_member_idx").on(t.memberId),
    check("reward_ledger_kind_check", sql`${t.kind} in ('grant', 'revoke')`),
    check("reward_ledger_sign_check", sql`(${t.kind} = 'grant' and ${t.amount} > 0) or (${t.kind} = 'revoke' and ${t.amount} < 0)`),
  ],
);
