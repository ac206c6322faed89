import { aliasedTable, and, desc, eq, gte, lt, sql } from "drizzle-orm";
import { db, type Executor } from "~db/client";
import { members, moderationLog } from "~db/schema";

export interface LogEntry {
  actorId: number | null;
  action: string;
  targetType: string;
  targetId: string | number;
  reason?: string | null;
  details?: Record<string, unknown>;
}

/** Appends to the moderation log; call it inside the transaction that makes the change. */
export async function appendToLog(tx: Executor, entry: LogEntry): Promise<void> {
  await tx.insert(moderationLog).values({
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: String(entry.targetId),
    reason: entry.reason ?? null,
    details: entry.details ?? null,
  });
}

export interface LogFilters {
  actor?: string;
  action?: string;
  /** A member the entry is about (their username). */
  member?: string;
  from?: Date;
  to?: Date;
  page: number;
}

export const LOG_PAGE_SIZE = 50;

/** The log, newest first, filtered; one query. Entries about members name them. */
export async function listLog(filters: LogFilters) {
  const actor = aliasedTable(members, "actor");
  const rows = await db()
    .select({
      id: moderationLog.id,
      action: moderationLog.action,
      targetType: moderationLog.targetType,
      targetId: moderationLog.targetId,
      reason: moderationLog.reason,
      details: moderationLog.details,
      createdAt: moderationLog.createdAt,
      actorName: actor.username,
      targetName: sql<string | null>`case when ${moderationLog.targetType} = 'member' then (select m.username from members m where m.id::text = ${moderationLog.targetId}) end`,
    })
    .from(moderationLog)
    .leftJoin(actor, eq(actor.id, moderationLog.actorId))
    .where(
      and(
        filters.actor ? eq(sql`lower(${actor.username})`, filters.actor.toLowerCase()) : undefined,
        filters.action ? eq(moderationLog.action, filters.action) : undefined,
        filters.member
          ? sql`${moderationLog.targetType} = 'member' and ${moderationLog.targetId} = (select m.id::text from members m where lower(m.username) = ${filters.member.toLowerCase()})`
          : undefined,
        filters.from ? gte(moderationLog.createdAt, filters.from) : undefined,
        filters.to ? lt(moderationLog.createdAt, filters.to) : undefined,
      ),
    )
    .orderBy(desc(moderationLog.id))
    .limit(LOG_PAGE_SIZE + 1)
    .offset((filters.page - 1) * LOG_PAGE_SIZE);
  return { entries: rows.slice(0, LOG_PAGE_SIZE), hasMore: rows.length > LOG_PAGE_SIZE };
}

export async function loggedActions(): Promise<string[]> {
  const rows = await db().selectDistinct({ action: moderationLog.action }).from(moderationLog).orderBy(moderationLog.action);
  return rows.map((row) => row.action);
}
