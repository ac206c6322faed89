import { sql, type Column, type SQL, type Table } from "drizzle-orm";

/** The rows of a raw `execute`: postgres.js returns them as the result, PGlite under `rows`. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

/**
 * `table.column`, spelled out for correlated subqueries: drizzle leaves columns bare in a
 * one-table select list, where the subquery's own column of the same name would shadow them.
 */
export function qualified(table: Table, column: Column): SQL {
  return sql`${table}.${sql.identifier(column.name)}`;
}
