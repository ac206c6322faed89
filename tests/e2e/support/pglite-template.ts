/**
 * Vitest global setup for the browser tests on PGlite: makes the migrated template directory once,
 * before the files start side by side, rather than in each file that would otherwise find it missing.
 */
import { migratedPgliteTemplate } from "./server";

export default async function setup() {
  if (!process.env.TEST_DATABASE_URL) await migratedPgliteTemplate();
}
