/**
 * Admin-adjustable numbers, stored as one JSON row per group and validated on the way in and
 * out, so a missing or outdated row falls back to the defaults of DESIGN.md.
 */
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { db } from "~db/client";
import { settings } from "~db/schema";
import { TRUSTED_MODERATOR } from "./forum-rules";
import { appendToLog } from "./moderation-log.server";
import { can, type Actor } from "./permissions";

const count = (max: number) => z.coerce.number({ error: "Enter a number." }).int("Enter a whole number.").min(0, "Use 0 or more.").max(max, `Use at most ${max}.`);

const limitsSchema = z.object({
  secondsBetweenPosts: count(3600),
  threadsPerDay: count(10_000),
  repliesPerDay: count(100_000),
  linksPerPost: count(1000),
});

export const postingLimitsSchema = z.object({ new: limitsSchema, established: limitsSchema });
export type PostingLimits = z.infer<typeof postingLimitsSchema>;

export const rewardProgramSchema = z.object({
  periodDays: count(3650).min(1, "Use at least 1 day."),
  minAccepted: count(100_000),
});
export type RewardProgram = z.infer<typeof rewardProgramSchema>;

export const SETTINGS = {
  posting_limits: {
    schema: postingLimitsSchema,
    defaults: {
      new: { secondsBetweenPosts: 30, threadsPerDay: 3, repliesPerDay: 10, linksPerPost: 2 },
      established: { secondsBetweenPosts: 5, threadsPerDay: 20, repliesPerDay: 100_000, linksPerPost: 1000 },
    } satisfies PostingLimits,
  },
  reward_program: {
    schema: rewardProgramSchema,
    defaults: { ...TRUSTED_MODERATOR } satisfies RewardProgram,
  },
} as const;

type SettingKey = keyof typeof SETTINGS;
type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]["schema"]>;

export async function getSetting<K extends SettingKey>(key: K): Promise<SettingValue<K>> {
  const [row] = await db().select({ value: settings.value }).from(settings).where(eq(settings.key, key));
  const parsed = row ? SETTINGS[key].schema.safeParse(row.value) : null;
  return (parsed?.success ? parsed.data : SETTINGS[key].defaults) as SettingValue<K>;
}

export async function saveSetting<K extends SettingKey>(actor: Actor | null, key: K, value: SettingValue<K>): Promise<void> {
  // `null` is the command line or a test setting up a forum; people need the admin role.
  if (actor && !can(actor, "admin:view")) throw new Error("Only admins change settings.");
  const checked = SETTINGS[key].schema.parse(value);
  await db().transaction(async (tx) => {
    await tx
      .insert(settings)
      .values({ key, value: checked, updatedById: actor?.id ?? null })
      .onConflictDoUpdate({ target: settings.key, set: { value: checked, updatedAt: sql`now()`, updatedById: actor?.id ?? null } });
    await appendToLog(tx, { actorId: actor?.id ?? null, action: "settings.changed", targetType: "setting", targetId: key, details: { value: checked } });
  });
}
