import type { Executor } from "~db/client";
import { moderationLog } from "~db/schema";

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
