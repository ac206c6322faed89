import { aliasedTable, and, count, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { db, type Executor } from "~db/client";
import { members, notifications, threadWatches, threads, type NotificationKind } from "~db/schema";
import { EMAIL_TOPIC, type EmailMessage } from "~/jobs/email.server";
import { enqueueMany } from "~/jobs/outbox.server";
import { threadPath } from "~/lib/paths";
import { publicUrl } from "~/lib/public-url.server";
import { formatDuration, responseTargetSeconds } from "./forum-rules";
import { canSee, type Actor } from "./permissions";

export async function watch(tx: Executor, threadId: number, memberId: number): Promise<void> {
  await tx.insert(threadWatches).values({ threadId, memberId }).onConflictDoNothing();
}

/** Starts or stops watching a thread the member can see; false when there is no such thread. */
export async function setWatching(member: Actor, threadId: number, on: boolean): Promise<boolean> {
  const [thread] = await db().select({ authorId: threads.authorId, hiddenAt: threads.hiddenAt }).from(threads).where(eq(threads.id, threadId));
  if (!thread || !canSee(member, thread)) return false;
  if (on) await watch(db(), threadId, member.id);
  else await db().delete(threadWatches).where(and(eq(threadWatches.threadId, threadId), eq(threadWatches.memberId, member.id)));
  return true;
}

interface Recipient {
  memberId: number;
  kind: NotificationKind;
}

/** What canSee needs of a thread: a hidden one shows only to staff and its author. */
type ThreadVisibility = { authorId: number; hiddenAt: Date | string | null };

interface NotifyContext {
  threadId: number;
  postId: number;
  actorId: number;
  actorName: string;
  threadTitle: string;
  /** Path of the post, for the email link. */
  path: string;
  visibility: ThreadVisibility;
}

type ThreadKind = Exclude<NotificationKind, "reward_granted" | "target_breached">;

const EMAIL_WORDING: Record<ThreadKind, (c: NotifyContext) => Wording> = {
  reply_on_your_thread: (c) => ({ subject: `New answer: ${c.threadTitle}`, lead: `${c.actorName} answered your question “${c.threadTitle}”.` }),
  reply_in_watched_thread: (c) => ({ subject: `New reply: ${c.threadTitle}`, lead: `${c.actorName} replied in “${c.threadTitle}”, which you are watching.` }),
  answer_accepted: (c) => ({ subject: `Your answer was accepted: ${c.threadTitle}`, lead: `${c.actorName} accepted your answer in “${c.threadTitle}”. Thank you for helping!` }),
  post_hidden: (c) => ({ subject: `A moderator hid your post in: ${c.threadTitle}`, lead: `After reviewing flags, a moderator hid your post in “${c.threadTitle}”. You can still see it; others cannot.` }),
};

interface Wording {
  subject: string;
  lead: string;
}

/** What a notification points at, and where its email links to. */
interface Subject {
  threadId?: number;
  postId?: number;
  grantId?: number;
  actorId: number;
  path: string;
  /** The thread's, when it is about one: whoever may not see the thread (it is hidden) is not told. */
  visibility?: ThreadVisibility;
}

/**
 * Writes in-app notifications and, for members who want them, emails through the outbox, in
 * the caller's transaction. A fixed three statements however many recipients there are.
 */
async function notify(tx: Executor, recipients: Recipient[], subject: Subject, wordingFor: (kind: NotificationKind) => Wording): Promise<void> {
  if (recipients.length === 0) return;
  const kindOf = new Map(recipients.map((r) => [r.memberId, r.kind]));
  const found = await tx
    .select({ id: members.id, role: members.role, email: members.email, username: members.username, wantsEmail: members.emailNotifications })
    .from(members)
    .where(inArray(members.id, [...kindOf.keys()]));
  const people = subject.visibility ? found.filter((person) => canSee(person, subject.visibility!)) : found;
  if (people.length === 0) return;
  await tx.insert(notifications).values(
    people.map((person) => ({
      memberId: person.id,
      kind: kindOf.get(person.id)!,
      threadId: subject.threadId ?? null,
      postId: subject.postId ?? null,
      grantId: subject.grantId ?? null,
      actorId: subject.actorId,
    })),
  );
  const emails = people.filter((person) => person.wantsEmail);
  if (emails.length === 0) return;
  const link = `${publicUrl()}${subject.path}`;
  await enqueueMany(
    tx,
    emails.map((person) => {
      const wording = wordingFor(kindOf.get(person.id)!);
      const message: EmailMessage = {
        to: person.email,
        subject: wording.subject,
        text: [`Hello ${person.username},`, "", wording.lead, "", link, "", `You get these emails because of your HostHelp notification settings: ${publicUrl()}/account`].join("\n"),
      };
      return { topic: EMAIL_TOPIC, payload: { ...message } };
    }),
  );
}

function aboutThread(tx: Executor, recipients: Recipient[], context: NotifyContext): Promise<void> {
  return notify(tx, recipients, context, (kind) => EMAIL_WORDING[kind as ThreadKind](context));
}

/** A new reply: everyone watching the thread hears of it, its asker in their own words. */
export async function notifyReply(tx: Executor, reply: { threadId: number; threadAuthorId: number } & NotifyContext): Promise<void> {
  const watchers = await tx
    .select({ memberId: threadWatches.memberId })
    .from(threadWatches)
    .where(and(eq(threadWatches.threadId, reply.threadId), ne(threadWatches.memberId, reply.actorId)));
  await aboutThread(
    tx,
    watchers.map(({ memberId }) => ({ memberId, kind: memberId === reply.threadAuthorId ? "reply_on_your_thread" : "reply_in_watched_thread" })),
    reply,
  );
}

export async function notifyHidden(tx: Executor, authorId: number, context: NotifyContext): Promise<void> {
  if (authorId === context.actorId) return;
  await aboutThread(tx, [{ memberId: authorId, kind: "post_hidden" }], context);
}

export async function notifyAccepted(tx: Executor, answerAuthorId: number, context: NotifyContext): Promise<void> {
  if (answerAuthorId === context.actorId) return;
  await aboutThread(tx, [{ memberId: answerAuthorId, kind: "answer_accepted" }], context);
}

/** A reward granted to a moderator: in the app and, unless they opted out, by email. */
export async function notifyRewardGranted(tx: Executor, grant: { grantId: number; memberId: number; actorId: number; description: string }): Promise<void> {
  await notify(tx, [{ memberId: grant.memberId, kind: "reward_granted" }], { grantId: grant.grantId, actorId: grant.actorId, path: REWARDS_PATH }, () => ({
    subject: `You have been rewarded: ${grant.description}`,
    lead: `Thank you for looking after the forum. An admin granted you ${grant.description}; it is on its way to your hosting account. Your rewards and their delivery are listed on your rewards page.`,
  }));
}

/** A thread past its first-response target with no answer: every moderator hears of it once. */
export async function notifyTargetBreached(
  tx: Executor,
  staffIds: number[],
  thread: { id: number; title: string; slug: string; urgent: boolean; authorId: number; authorName: string },
): Promise<void> {
  const target = formatDuration(responseTargetSeconds(thread.urgent));
  await notify(tx, staffIds.map((memberId) => ({ memberId, kind: "target_breached" })), { threadId: thread.id, actorId: thread.authorId, path: threadPath(thread) }, () => ({
    subject: `Waiting past target: ${thread.title}`,
    lead: `“${thread.title}”, asked by ${thread.authorName}, has had no answer for ${target}, its first-response target${thread.urgent ? " as an urgent question" : ""}. Could you answer it, or find someone who can?`,
  }));
}

/** Where a member sees their rewards. */
export const REWARDS_PATH = "/account/rewards";

export async function unreadCount(memberId: number): Promise<number> {
  const [row] = await db().select({ n: count() }).from(notifications).where(and(eq(notifications.memberId, memberId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** A member's latest notifications; a thread they can no longer see (hidden since) goes unnamed. */
export async function listNotifications(viewer: Actor, limit = 50) {
  // A merged duplicate is hidden, and its posts live on in the thread it was merged into: its
  // notifications name that thread, where opening them leads.
  const mergedInto = aliasedTable(threads, "merged_into");
  const rows = await db()
    .select({
      id: notifications.id,
      kind: notifications.kind,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
      threadId: notifications.threadId,
      postId: notifications.postId,
      grantId: notifications.grantId,
      // Drizzle reads a left-joined object as missing when its first column is null: the id.
      thread: { id: threads.id, title: threads.title, authorId: threads.authorId, hiddenAt: threads.hiddenAt },
      mergedInto: { id: mergedInto.id, title: mergedInto.title, authorId: mergedInto.authorId, hiddenAt: mergedInto.hiddenAt },
      actorName: members.username,
    })
    .from(notifications)
    .leftJoin(threads, eq(threads.id, notifications.threadId))
    .leftJoin(mergedInto, eq(mergedInto.id, threads.mergedIntoId))
    .leftJoin(members, eq(members.id, notifications.actorId))
    .where(eq(notifications.memberId, viewer.id))
    .orderBy(desc(notifications.createdAt))
    .limit(limit);
  return rows.map(({ thread, mergedInto, ...notification }) => {
    const shown = mergedInto ?? thread;
    return { ...notification, threadTitle: shown && canSee(viewer, shown) ? shown.title : null };
  });
}

/** Marks one notification read and returns where it points, or null if it is not the member's. */
export async function openNotification(memberId: number, id: number) {
  const [row] = await db()
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), eq(notifications.memberId, memberId)))
    .returning({ threadId: notifications.threadId, postId: notifications.postId, grantId: notifications.grantId });
  return row ?? null;
}

export async function markAllRead(memberId: number): Promise<void> {
  await db().update(notifications).set({ readAt: sql`now()` }).where(and(eq(notifications.memberId, memberId), isNull(notifications.readAt)));
}

export async function setEmailNotifications(memberId: number, enabled: boolean): Promise<void> {
  await db().update(members).set({ emailNotifications: enabled }).where(eq(members.id, memberId));
}

