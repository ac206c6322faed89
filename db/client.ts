import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { acquireDataDirLock } from "./data-dir-lock";
import * as schema from "./schema";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** What model functions accept: the pool or an open transaction. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  driver: "pglite" | "postgres";
  /** Runs `fn` on one dedicated connection (advisory locks are per connection). */
  withDedicatedConnection<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseConfig {
  /** postgres:// URL; when absent the embedded PGlite database is used. */
  databaseUrl?: string;
  /** Where PGlite keeps its files; `memory://` keeps them in memory. */
  pgliteDir?: string;
  poolSize?: number;
}

export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteDir: env.PGLITE_DIR || "./data",
    poolSize: env.DATABASE_POOL_SIZE ? Number(env.DATABASE_POOL_SIZE) : undefined,
  };
}

// Counts the SQL statements run on behalf of one request (see app/server/app.ts), so that tests
// and benchmarks can prove every page takes a fixed number of round trips. Kept on globalThis
// for the same reason as the handle below.
const QUERY_COUNTER = Symbol.for("hosthelp.queryCounter");
type GlobalWithCounter = typeof globalThis & { [QUERY_COUNTER]?: AsyncLocalStorage<{ queries: number }> };

export function queryCounter(): AsyncLocalStorage<{ queries: number }> {
  const g = globalThis as GlobalWithCounter;
  g[QUERY_COUNTER] ??= new AsyncLocalStorage();
  return g[QUERY_COUNTER];
}

const logger = {
  logQuery() {
    const tally = queryCounter().getStore();
    if (tally) tally.queries += 1;
  },
};

export function openDatabase(config: DatabaseConfig): DatabaseHandle {
  const { databaseUrl } = config;
  if (databaseUrl) {
    const client = postgres(databaseUrl, {
      max: config.poolSize ?? DEFAULT_POOL_SIZE,
      onnotice: () => {},
      connection: { application_name: "hosthelp" },
    });
    const db = drizzlePostgres(client, { schema, logger }) as unknown as Database;
    return {
      db,
      driver: "postgres",
      async withDedicatedConnection(fn) {
        // A one-connection client rather than client.reserve(): drizzle cannot wrap a reserved connection.
        const single = postgres(databaseUrl, { max: 1, onnotice: () => {} });
        try {
          return await fn(drizzlePostgres(single, { schema }) as unknown as Database);
        } finally {
          await single.end({ timeout: 5 });
        }
      },
      close: () => client.end({ timeout: 5 }),
    };
  }

  const dir = config.pgliteDir ?? "./data";
  const inMemory = dir.startsWith("memory://");
  const releaseLock = inMemory ? () => {} : acquireDataDirLock(prepareDir(dir));
  const client = new PGlite(inMemory ? dir : path.resolve(dir), {
    extensions: PGLITE_EXTENSIONS,
    startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
  });
  const db = drizzlePglite(client, { schema, logger }) as unknown as Database;
  return {
    db,
    driver: "pglite",
    // PGlite is a single connection already.
    withDedicatedConnection: (fn) => fn(db),
    async close() {
      await client.close();
      releaseLock();
    },
  };
}

/**
 * Connections per process, unless DATABASE_POOL_SIZE says otherwise: one per core of the machine,
 * at least 2 and at most postgres.js's 10. A small host often runs the forum and PostgreSQL on one
 * machine, whose cores are then PostgreSQL's too, and statements beyond one per core only take
 * turns on them, each holding its connection longer. On a 2-core machine, 4 instead of 10 served
 * 10-20% more thread pages and searches a second; 2 instead of 4 served 4-23% more searches in
 * five back-to-back pairs out of five (the thread page was within the noise), and in the bench
 * search's p95 fell from 55 to 52 ms while the machine ran 13% slower. The cap keeps a process on
 * a many-core machine (or a container that sees its host's cores) from taking a large share of
 * PostgreSQL's 100 connections.
 */
const DEFAULT_POOL_SIZE = Math.min(10, Math.max(2, availableParallelism()));

/** The contrib extensions the migrations create: PGlite must be handed their code as it opens. */
export const PGLITE_EXTENSIONS = { btree_gin };

/**
 * PGlite's database lives in the server's own memory, and it touches all of its shared buffers as
 * it starts: PostgreSQL's default 128 MB made the server hold 340 MB before its first request.
 * A small host's forum works within 32 MB; the operating system caches the files behind them.
 */
const PGLITE_SHARED_BUFFERS = "32MB";

function prepareDir(dir: string): string {
  const absolute = path.resolve(dir);
  mkdirSync(absolute, { recursive: true });
  return absolute;
}

// One handle per process, kept on globalThis: the web server and the Remix build are bundled
// separately and each carries a copy of this module, but they must share one database (PGlite
// in particular allows only one opener of its data directory).
const HANDLE = Symbol.for("hosthelp.database");
type GlobalWithHandle = typeof globalThis & { [HANDLE]?: DatabaseHandle };

export function database(): DatabaseHandle {
  const g = globalThis as GlobalWithHandle;
  g[HANDLE] ??= openDatabase(databaseConfigFromEnv());
  return g[HANDLE];
}

/** The shared drizzle instance for model code. */
export function db(): Database {
  return database().db;
}

/**
 * A statement built once per database handle, and then only executed: building a query through
 * drizzle costs more than running a small one (a thread list's two took 0.4 ms a page). `build`
 * ends with `.prepare(name)`, which also prepares it on PostgreSQL's side, once per connection
 * (behind PgBouncer, use session pooling, or 1.21+ with max_prepared_statements). One per
 * handle, since tests and tools open more than one.
 */
export function preparedStatement<T>(build: (database: Database) => T): () => T {
  const built = new WeakMap<Database, T>();
  return () => {
    const database = db();
    let statement = built.get(database);
    if (!statement) built.set(database, (statement = build(database)));
    return statement;
  };
}

export async function closeDatabase(): Promise<void> {
  const g = globalThis as GlobalWithHandle;
  const handle = g[HANDLE];
  g[HANDLE] = undefined;
  await handle?.close();
}
