import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { database, type DatabaseHandle } from "./client";

/** The committed SQL migrations, beside this file. */
export function migrationsFolder(): string {
  return fileURLToPath(new URL("./migrations", import.meta.url));
}

// An arbitrary constant: the key of the advisory lock that serialises migrations between
// app instances starting at once against one server.
const MIGRATION_LOCK_KEY = 7_411_226;

export async function runMigrations(handle: DatabaseHandle = database(), migrationsFolderPath = migrationsFolder()): Promise<void> {
  if (handle.driver === "pglite") {
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder: migrationsFolderPath });
    return;
  }
  await handle.withDedicatedConnection(async (conn) => {
    await conn.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await migratePostgres(conn as unknown as PostgresJsDatabase, { migrationsFolder: migrationsFolderPath });
    } finally {
      await conn.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  });
}
