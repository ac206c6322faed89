import { count, eq, sql } from "drizzle-orm";
import { db } from "~db/client";
import { members, outboxEvents } from "~db/schema";
import { EMAIL_TOPIC } from "~/jobs/email.server";

export async function adminOverview() {
  const [roles, email] = await Promise.all([
    db().select({ role: members.role, total: count() }).from(members).groupBy(members.role),
    db()
      .select({
        pending: sql<number>`count(*) filter (where ${outboxEvents.status} in ('pending', 'delivering'))`.mapWith(Number),
        failed: sql<number>`count(*) filter (where ${outboxEvents.status} = 'failed')`.mapWith(Number),
      })
      .from(outboxEvents)
      .where(eq(outboxEvents.topic, EMAIL_TOPIC)),
  ]);
  const byRole = Object.fromEntries(roles.map((row) => [row.role, row.total]));
  return {
    members: roles.reduce((sum, row) => sum + row.total, 0),
    moderators: byRole.moderator ?? 0,
    admins: byRole.admin ?? 0,
    emailPending: email[0]?.pending ?? 0,
    emailFailed: email[0]?.failed ?? 0,
  };
}
