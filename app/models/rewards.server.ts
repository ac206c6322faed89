/**
 * The reward program: packages, who qualifies, grants and revocations, and the ledger that
 * balances are summed from. A grant or revocation writes its row, its ledger entry, a
 * moderation-log entry and the provisioning event in one transaction, so the billing system
 * hears of exactly what the forum recorded.
 */
import { randomUUID } from "node:crypto";
import { and, count, desc, eq, gt, notExists, sql, type SQLWrapper } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db, type Executor } from "~db/client";
import { violatedUniqueConstraint } from "~db/errors";
import { qualified, rowsOf } from "~db/rows";
import { members, outboxEvents, rewardGrants, rewardLedger, rewardPackages, rewardRevocations } from "~db/schema";
import { enqueue, wakeWorker } from "~/jobs/outbox.server";
import { formatMoney } from "~/lib/money";
import { PROVISIONING_TOPIC, type RewardEvent } from "~/jobs/provisioning/events";
import { acceptedInPeriod } from "./answers.server";
import { appendToLog } from "./moderation-log.server";
import { notifyRewardGranted } from "./notifications.server";
import { can, canReceiveRewards, isSuspended, type Actor } from "./permissions";
import { type GrantInput, type PackageInput } from "./reward-input.server";
import { getSetting, type RewardProgram } from "./settings.server";
import { fail, type Failure } from "./threads.server";

const NOT_ADMIN = "Only admins manage rewards.";

// ---------------------------------------------------------------------------------------------
// Packages

export type RewardPackage = typeof rewardPackages.$inferSelect & { grants: number };

/** Every package, in use first, with how often it was granted. One query. */
export async function listPackages(): Promise<RewardPackage[]> {
  return db()
    .select({
      id: rewardPackages.id,
      name: rewardPackages.name,
      creditAmount: rewardPackages.creditAmount,
      currency: rewardPackages.currency,
      productCode: rewardPackages.productCode,
      createdAt: rewardPackages.createdAt,
      updatedAt: rewardPackages.updatedAt,
      retiredAt: rewardPackages.retiredAt,
      grants: sql<number>`(select count(*) from ${rewardGrants} where ${rewardGrants.packageId} = ${qualified(rewardPackages, rewardPackages.id)})`.mapWith(Number),
    })
    .from(rewardPackages)
    .orderBy(sql`${rewardPackages.retiredAt} is not null`, rewardPackages.name);
}

type PackageOutcome = { ok: true; id: number } | Failure;

const DUPLICATE_NAME = (name: string) => fail(409, `There is already a package called “${name}”.`, "name");

/** Creates a package, or edits one when `id` is given. Grants already made keep their amounts. */
export async function savePackage(actor: Actor, input: PackageInput, id?: number): Promise<PackageOutcome> {
  if (!can(actor, "reward:manage")) return fail(403, NOT_ADMIN);
  try {
    return await db().transaction(async (tx): Promise<PackageOutcome> => {
      const values = { name: input.name, creditAmount: input.creditAmount, currency: input.currency, productCode: input.productCode };
      const [row] = id
        ? await tx.update(rewardPackages).set({ ...values, updatedAt: sql`now()` }).where(eq(rewardPackages.id, id)).returning({ id: rewardPackages.id })
        : await tx.insert(rewardPackages).values(values).returning({ id: rewardPackages.id });
      if (!row) return fail(404, "There is no such package.");
      await appendToLog(tx, { actorId: actor.id, action: id ? "reward.package_edited" : "reward.package_created", targetType: "reward_package", targetId: row.id, details: values });
      return { ok: true, id: row.id };
    });
  } catch (error) {
    if (violatedUniqueConstraint(error) === "reward_packages_name_lower_key") return DUPLICATE_NAME(input.name);
    throw error;
  }
}

/**
 * Takes a package off the grant form. One that was never granted is deleted instead; one that
 * was stays, retired, because grants and the ledger point at it.
 */
export async function retireOrDeletePackage(actor: Actor, id: number): Promise<{ ok: true; deleted: boolean } | Failure> {
  if (!can(actor, "reward:manage")) return fail(403, NOT_ADMIN);
  return db().transaction(async (tx) => {
    const [pkg] = await tx.select().from(rewardPackages).where(eq(rewardPackages.id, id)).for("update");
    if (!pkg) return fail(404, "There is no such package.");
    const [used] = await tx.select({ n: count() }).from(rewardGrants).where(eq(rewardGrants.packageId, id));
    const deleted = (used?.n ?? 0) === 0;
    if (deleted) await tx.delete(rewardPackages).where(eq(rewardPackages.id, id));
    else if (!pkg.retiredAt) await tx.update(rewardPackages).set({ retiredAt: sql`now()`, updatedAt: sql`now()` }).where(eq(rewardPackages.id, id));
    await appendToLog(tx, { actorId: actor.id, action: deleted ? "reward.package_deleted" : "reward.package_retired", targetType: "reward_package", targetId: id, details: { name: pkg.name } });
    return { ok: true as const, deleted };
  });
}

/** Puts a retired package back on the grant form. */
export async function reinstatePackage(actor: Actor, id: number): Promise<{ ok: true } | Failure> {
  if (!can(actor, "reward:manage")) return fail(403, NOT_ADMIN);
  return db().transaction(async (tx) => {
    const [row] = await tx.update(rewardPackages).set({ retiredAt: null, updatedAt: sql`now()` }).where(eq(rewardPackages.id, id)).returning({ name: rewardPackages.name });
    if (!row) return fail(404, "There is no such package.");
    await appendToLog(tx, { actorId: actor.id, action: "reward.package_reinstated", targetType: "reward_package", targetId: id, details: { name: row.name } });
    return { ok: true as const };
  });
}

// ---------------------------------------------------------------------------------------------
// Eligibility

/** Grants made in the period that still stand (not revoked). */
function standingGrantsSince(periodDays: number) {
  return and(
    gt(rewardGrants.createdAt, sql`now() - make_interval(days => ${periodDays})`),
    notExists(db().select({ one: sql`1` }).from(rewardRevocations).where(eq(rewardRevocations.grantId, qualified(rewardGrants, rewardGrants.id)))),
  );
}

export interface EligibilityRow {
  id: number;
  username: string;
  billingClientId: string | null;
  suspended: boolean;
  acceptedInPeriod: number;
  grantsInPeriod: number;
  qualifies: boolean;
}

const reportedMember = qualified(members, members.id);

/** Grants to the member (optionally of one package) in the period that still stand. */
function standingGrantCount(memberId: SQLWrapper, periodDays: number, packageId?: number) {
  const counted = db()
    .select({ n: count() })
    .from(rewardGrants)
    .where(and(eq(rewardGrants.memberId, memberId), packageId === undefined ? undefined : eq(rewardGrants.packageId, packageId), standingGrantsSince(periodDays)));
  return sql<number>`(${counted})`.mapWith(Number);
}

/** Every moderator with their figures for the reward period and whether they qualify. One query. */
export async function eligibilityReport(): Promise<{ program: RewardProgram; moderators: EligibilityRow[] }> {
  const program = await getSetting("reward_program");
  const rows = await db()
    .select({
      id: members.id,
      username: members.username,
      billingClientId: members.billingClientId,
      suspendedUntil: members.suspendedUntil,
      acceptedInPeriod: acceptedInPeriod(reportedMember, program.periodDays),
      grantsInPeriod: standingGrantCount(reportedMember, program.periodDays),
    })
    .from(members)
    .where(eq(members.role, "moderator"))
    .orderBy(members.username);
  const moderators = rows.map(({ suspendedUntil, ...row }) => {
    const suspended = isSuspended({ suspendedUntil });
    return { ...row, suspended, qualifies: !suspended && row.acceptedInPeriod >= program.minAccepted };
  });
  return { program, moderators };
}

// ---------------------------------------------------------------------------------------------
// Grants and revocations

export type GrantOutcome = { ok: true; grantId: number; duplicate: boolean } | Failure;

/** Thrown inside the grant transaction to roll it back when another submission of the form won. */
class AlreadyGranted extends Error {}

/**
 * Grants a package to a moderator. The form's idempotency key makes a double submit (or a
 * retried request) return the first grant instead of making a second; grants to one member
 * are serialised on their row, so the period checks cannot race each other. The package's row
 * is share-locked, so a retire or delete running at the same time either waits for the grant
 * (and then retires, since the package is in use) or finishes first (and the grant is refused).
 */
export async function grantReward(actor: Actor, input: GrantInput): Promise<GrantOutcome> {
  if (!can(actor, "reward:manage")) return fail(403, NOT_ADMIN);
  // Read before the transaction: the embedded database has one connection.
  const program = await getSetting("reward_program");
  try {
    const outcome = await db().transaction(async (tx): Promise<GrantOutcome> => {
      // Lock first, then look for the form's grant: a submission that waited for the lock
      // sees the grant its twin just committed. "No key update" serialises grants to the member
      // without blocking what merely references them (a session, a notification) meanwhile.
      const [member] = await tx.select().from(members).where(eq(members.id, input.memberId)).for("no key update");
      const existing = await grantWithKey(tx, input);
      if (existing) return existing;
      if (!member) return fail(404, "There is no such member.", "memberId");
      if (!canReceiveRewards(member)) return fail(400, `${member.username} is not a moderator. Rewards go to moderators only.`, "memberId");
      const [pkg] = await tx.select().from(rewardPackages).where(eq(rewardPackages.id, input.packageId)).for("share");
      if (!pkg) return fail(400, "There is no such package. Choose one from the list.", "packageId");
      if (pkg.retiredAt) return fail(409, `“${pkg.name}” is retired and can no longer be granted.`, "packageId");

      const overrides = await reasonsToOverride(tx, member, pkg.id, program);
      if (overrides.length > 0 && !input.overrideReason) {
        return fail(400, `${overrides.join(" ")} To grant anyway, give an override reason.`, "overrideReason");
      }

      // The event names the grant and the grant names the event: take the grant's id first.
      const [idRow] = rowsOf<{ id: number }>(await tx.execute(sql`select nextval(pg_get_serial_sequence('reward_grants', 'id'))::int as id`));
      const grantId = idRow!.id;
      const [granter] = await tx.select({ username: members.username }).from(members).where(eq(members.id, actor.id));
      const event: RewardEvent = {
        id: randomUUID(),
        type: "reward.granted",
        created_at: new Date().toISOString(),
        grant: {
          id: grantId,
          package: { code: pkg.productCode, name: pkg.name, credit_amount: pkg.creditAmount, currency: pkg.currency },
          reason: input.reason,
          granted_by: granter!.username,
        },
        member: { id: member.id, username: member.username, email: member.email, billing_client_id: member.billingClientId },
      };
      await enqueue(tx, { id: event.id, topic: PROVISIONING_TOPIC, payload: { ...event } });
      const inserted = await tx
        .insert(rewardGrants)
        .values({
          id: grantId,
          idempotencyKey: input.idempotencyKey,
          packageId: pkg.id,
          memberId: member.id,
          grantedById: actor.id,
          creditAmount: pkg.creditAmount,
          currency: pkg.currency,
          reason: input.reason,
          overrideReason: overrides.length > 0 ? input.overrideReason : null,
          eventId: event.id,
        })
        .onConflictDoNothing({ target: rewardGrants.idempotencyKey })
        .returning({ id: rewardGrants.id });
      if (inserted.length === 0) throw new AlreadyGranted();
      await tx.insert(rewardLedger).values({ memberId: member.id, grantId, kind: "grant", amount: pkg.creditAmount, currency: pkg.currency });
      await appendToLog(tx, {
        actorId: actor.id,
        action: "reward.granted",
        targetType: "member",
        targetId: member.id,
        reason: input.reason,
        details: { grantId, package: pkg.name, amount: pkg.creditAmount, currency: pkg.currency, ...(overrides.length > 0 ? { override: input.overrideReason, overridden: overrides } : {}) },
      });
      await notifyRewardGranted(tx, { grantId, memberId: member.id, actorId: actor.id, description: `${pkg.name} (${formatMoney(pkg.creditAmount, pkg.currency)})` });
      return { ok: true, grantId, duplicate: false };
    });
    // The wake-up at enqueue came before the commit, when another connection could not see it.
    if (outcome.ok) wakeWorker();
    return outcome;
  } catch (error) {
    // Another submission of this form committed first (or, on a race the row lock did not
    // cover, the unique key stopped this one): answer with the grant it made.
    if (error instanceof AlreadyGranted || violatedUniqueConstraint(error) === "reward_grants_idempotency_key") {
      const existing = await grantWithKey(db(), input);
      if (existing) return existing;
    }
    throw error;
  }
}

/** The grant a form already made, or a refusal when its key was used for a different grant. */
async function grantWithKey(tx: Executor, input: GrantInput): Promise<GrantOutcome | null> {
  const [grant] = await tx.select().from(rewardGrants).where(eq(rewardGrants.idempotencyKey, input.idempotencyKey));
  if (!grant) return null;
  if (grant.memberId !== input.memberId || grant.packageId !== input.packageId) {
    return fail(409, "This form was already used for another grant. Reload the page to make a new one.");
  }
  return { ok: true, grantId: grant.id, duplicate: true };
}

/** Why granting this package to this member now goes against the program's rules, if it does. */
async function reasonsToOverride(tx: Executor, member: typeof members.$inferSelect, packageId: number, program: RewardProgram): Promise<string[]> {
  const [figures] = await tx
    .select({
      accepted: acceptedInPeriod(sql`${member.id}`, program.periodDays),
      samePackage: standingGrantCount(sql`${member.id}`, program.periodDays, packageId),
    })
    .from(sql`(select 1) as one`);
  const reasons: string[] = [];
  if (isSuspended(member)) reasons.push(`${member.username} is suspended, so does not qualify.`);
  else if (figures!.accepted < program.minAccepted) {
    reasons.push(`${member.username} has ${figures!.accepted} accepted answers in the last ${program.periodDays} days; ${program.minAccepted} are needed to qualify.`);
  }
  if (figures!.samePackage > 0) reasons.push(`${member.username} already received this package in the last ${program.periodDays} days.`);
  return reasons;
}

const ALREADY_REVOKED = "This grant was already revoked.";

/**
 * Revokes a grant: a revocation row, a compensating (negative) ledger entry and a
 * `reward.revoked` event carrying the same grant as the original event. The event waits for the
 * grant's own event to be delivered: a billing system must never be asked to take back a credit
 * it has not been given (and then be given it by a late retry of the grant).
 */
export async function revokeGrant(actor: Actor, input: { grantId: number; reason: string }): Promise<{ ok: true } | Failure> {
  if (!can(actor, "reward:manage")) return fail(403, NOT_ADMIN);
  try {
    const outcome = await db().transaction(async (tx): Promise<{ ok: true } | Failure> => {
      // The row lock makes a second revoke wait for the first and then see it.
      const [grant] = await tx.select().from(rewardGrants).where(eq(rewardGrants.id, input.grantId)).for("update");
      if (!grant) return fail(404, "There is no such grant.", "grantId");
      const [revoked] = await tx.select({ at: rewardRevocations.createdAt }).from(rewardRevocations).where(eq(rewardRevocations.grantId, grant.id));
      if (revoked) return fail(409, ALREADY_REVOKED);
      const [original] = await tx.select({ payload: outboxEvents.payload }).from(outboxEvents).where(eq(outboxEvents.id, grant.eventId));
      const [revoker] = await tx.select({ username: members.username }).from(members).where(eq(members.id, actor.id));
      const granted = original!.payload as RewardEvent;
      const event: RewardEvent = {
        ...granted,
        id: randomUUID(),
        type: "reward.revoked",
        created_at: new Date().toISOString(),
        revocation: { reason: input.reason, revoked_by: revoker!.username },
      };
      await enqueue(tx, { id: event.id, topic: PROVISIONING_TOPIC, payload: { ...event }, afterEventId: grant.eventId });
      await tx.insert(rewardRevocations).values({ grantId: grant.id, revokedById: actor.id, reason: input.reason, eventId: event.id });
      await tx.insert(rewardLedger).values({ memberId: grant.memberId, grantId: grant.id, kind: "revoke", amount: `-${grant.creditAmount}`, currency: grant.currency });
      await appendToLog(tx, {
        actorId: actor.id,
        action: "reward.revoked",
        targetType: "member",
        targetId: grant.memberId,
        reason: input.reason,
        details: { grantId: grant.id, amount: grant.creditAmount, currency: grant.currency },
      });
      return { ok: true as const };
    });
    if (outcome.ok) wakeWorker();
    return outcome;
  } catch (error) {
    // A revoke that slipped past the row lock meets the one-revocation-per-grant key. Any other
    // unique violation is a fault to surface, not a revocation.
    if (violatedUniqueConstraint(error) === "reward_revocations_pkey") return fail(409, ALREADY_REVOKED);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading grants

const grantedBy = alias(members, "granted_by");
const recipient = alias(members, "recipient");
const grantEvent = alias(outboxEvents, "grant_event");
const revokeEvent = alias(outboxEvents, "revoke_event");

function grantColumns() {
  return {
    id: rewardGrants.id,
    createdAt: rewardGrants.createdAt,
    memberId: rewardGrants.memberId,
    username: recipient.username,
    // As granted and sent to the billing system: the event body keeps the name of that moment,
    // so renaming the package later does not rewrite past grants.
    packageName: sql<string>`${grantEvent.payload}->'grant'->'package'->>'name'`,
    creditAmount: rewardGrants.creditAmount,
    currency: rewardGrants.currency,
    reason: rewardGrants.reason,
    overrideReason: rewardGrants.overrideReason,
    grantedBy: grantedBy.username,
    delivery: grantEvent.status,
    revokedAt: rewardRevocations.createdAt,
    revokeReason: rewardRevocations.reason,
    revokeDelivery: revokeEvent.status,
  };
}

function grantsQuery() {
  return db()
    .select(grantColumns())
    .from(rewardGrants)
    .innerJoin(recipient, eq(recipient.id, rewardGrants.memberId))
    .innerJoin(grantedBy, eq(grantedBy.id, rewardGrants.grantedById))
    .innerJoin(grantEvent, eq(grantEvent.id, rewardGrants.eventId))
    .leftJoin(rewardRevocations, eq(rewardRevocations.grantId, rewardGrants.id))
    .leftJoin(revokeEvent, eq(revokeEvent.id, rewardRevocations.eventId))
    .$dynamic();
}

export type GrantRow = Awaited<ReturnType<typeof listGrants>>["grants"][number];

export const GRANTS_PAGE_SIZE = 50;

/** Grants newest first, for admins. Two queries. */
export async function listGrants(page = 1) {
  const [grants, [total]] = await Promise.all([
    grantsQuery()
      .orderBy(desc(rewardGrants.id))
      .limit(GRANTS_PAGE_SIZE)
      .offset((page - 1) * GRANTS_PAGE_SIZE),
    db().select({ n: count() }).from(rewardGrants),
  ]);
  return { grants, total: total?.n ?? 0 };
}

export async function findGrant(id: number): Promise<GrantRow | null> {
  const [grant] = await grantsQuery().where(eq(rewardGrants.id, id));
  return grant ?? null;
}

export interface Balance {
  currency: string;
  amount: string;
}

/** A member's grants and balance (the sum of their ledger entries, per currency). Two queries. */
export async function memberRewards(memberId: number): Promise<{ grants: GrantRow[]; balances: Balance[] }> {
  const [grants, balances] = await Promise.all([
    grantsQuery().where(eq(rewardGrants.memberId, memberId)).orderBy(desc(rewardGrants.id)),
    db()
      .select({ currency: rewardLedger.currency, amount: sql<string>`sum(${rewardLedger.amount})::text` })
      .from(rewardLedger)
      .where(eq(rewardLedger.memberId, memberId))
      .groupBy(rewardLedger.currency)
      .orderBy(rewardLedger.currency),
  ]);
  return { grants, balances };
}

// ---------------------------------------------------------------------------------------------
// Billing client ids

/** Sets (or clears, with null) the member's client id in the billing system. */
export async function setBillingClientId(actor: Actor, memberId: number, billingClientId: string | null): Promise<{ ok: true } | Failure> {
  if (!can(actor, "reward:manage")) return fail(403, NOT_ADMIN);
  return db().transaction(async (tx) => {
    const [row] = await tx.update(members).set({ billingClientId }).where(eq(members.id, memberId)).returning({ id: members.id });
    if (!row) return fail(404, "There is no such member.");
    await appendToLog(tx, { actorId: actor.id, action: "member.billing_client_id_set", targetType: "member", targetId: memberId, details: { billingClientId } });
    return { ok: true as const };
  });
}
