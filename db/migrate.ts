/** `npm run db:migrate`: applies the committed migrations to the configured database. */
import { closeDatabase, database } from "./client";
import { runMigrations } from "./migrator";

try {
  await runMigrations();
  console.log(`Migrations applied (${database().driver === "pglite" ? "embedded database" : "PostgreSQL"}).`);
  await closeDatabase();
} catch (error) {
  console.error("Migration failed:", error instanceof Error ? error.message : error);
  await closeDatabase().catch(() => {});
  process.exit(1);
}
