/**
 * Vitest global setup for the PostgreSQL run: creates a migrated template database on the server
 * named by TEST_DATABASE_URL and drops it afterwards. Each test file copies it into a database of
 * its own (tests/support/database-per-file.ts), so files run side by side and never see each
 * other's rows (an outbox worker in one file would otherwise deliver every file's email).
 */
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openDatabase } from "~db/client";
import { runMigrations } from "~db/migrator";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

export interface ScratchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Runs `fn` on a one-connection client of the server at `serverUrl`, closed afterwards. */
async function onServer<T>(serverUrl: string, fn: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

async function dropDatabase(admin: postgres.Sql, name: string): Promise<void> {
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
}

/** A new, uniquely named database on the server at `serverUrl`: empty, or a copy of `template`. */
export async function createScratchDatabase(serverUrl: string, prefix: string, template?: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${process.pid.toString(36)}_${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
  // PostgreSQL would cut a longer name short, and drop() would then miss the database.
  if (name.length > 63) throw new Error(`Database name too long: ${name}`);
  await onServer(serverUrl, (admin) => admin.unsafe(`create database "${name}"${template ? ` template "${template}"` : ""}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => onServer(serverUrl, (admin) => dropDatabase(admin, name)) };
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL!;
  const template = await createScratchDatabase(serverUrl, "hosthelp_test");
  const handle = openDatabase({ databaseUrl: template.url, poolSize: 1 });
  try {
    await runMigrations(handle);
  } finally {
    // CREATE DATABASE … TEMPLATE refuses while anyone is connected to the template.
    await handle.close();
  }
  project.provide("templateDatabase", template.name);
  // The files' copies are named after the template, so any a failed file left behind go too.
  return () =>
    onServer(serverUrl, async (admin) => {
      const copies = await admin<{ datname: string }[]>`select datname from pg_database where starts_with(datname, ${`${template.name}_`})`;
      for (const { datname } of copies) await dropDatabase(admin, datname);
      await dropDatabase(admin, template.name);
    });
}
