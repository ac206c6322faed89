/**
 * Tests that need the real PostgreSQL server: several connections at once (row locks, races,
 * several processes). PGlite is one embedded connection, where such tests would pass by
 * running one thing at a time, so they are skipped there, and the skip says why.
 */
import { sql, type SQL } from "drizzle-orm";
import { database, db } from "~db/client";
import { rowsOf } from "~db/rows";

export const onPostgres = process.env.HOSTHELP_TEST_DRIVER === "postgres";

/** Whether tests of `what` run here; when they do not, prints why (once per call). */
export function runsOnPostgresOnly(what: string): boolean {
  if (onPostgres) return true;
  const where = process.env.TEST_DATABASE_URL
    ? "they run in this suite's PostgreSQL run (TEST_DATABASE_URL is set)"
    : "set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run them";
  console.warn(`Skipping ${what} on PGlite, which is one embedded connection: ${where}.`);
  return false;
}

export interface HeldLock {
  release(): Promise<void>;
}

/**
 * Runs `statement` in a transaction on a connection of its own and keeps that transaction open
 * until release(): whatever the statement locked stays locked, so a test can stop a model
 * function at a known point and start something else beside it.
 */
export async function holdLock(statement: SQL): Promise<HeldLock> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const taken = new Promise<void>((resolve) => (locked = resolve));
  const transaction = database().withDedicatedConnection((connection) =>
    connection.transaction(async (tx) => {
      await tx.execute(statement);
      locked();
      await released;
    }),
  );
  await Promise.race([taken, transaction]);
  return {
    async release() {
      release();
      await transaction;
    },
  };
}

/** Waits until `count` statements of this database are waiting for a lock. */
export async function untilWaitingForLocks(count: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = rowsOf<{ n: number }>(
      await db().execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`),
    );
    if ((row?.n ?? 0) >= count) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting until ${count} statement(s) wait for a lock (${row?.n ?? 0} do).`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
