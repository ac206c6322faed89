/**
 * Vitest global setup for the PostgreSQL run: creates a database of its own on the server named
 * by TEST_DATABASE_URL, migrates it, hands its URL to the tests, and drops it afterwards.
 */
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openDatabase } from "~db/client";
import { runMigrations } from "~db/migrator";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${Date.now()}_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL!;
  const scratch = await createScratchDatabase(serverUrl, "hosthelp_test");
  const handle = openDatabase({ databaseUrl: scratch.url, poolSize: 2 });
  await runMigrations(handle);
  await handle.close();
  project.provide("databaseUrl", scratch.url);
  return scratch.drop;
}
