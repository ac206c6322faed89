/**
 * Who may do what. Pure functions with no I/O: the server calls them to enforce a rule and the
 * pages call them to decide which controls to show, so the two can never disagree.
 */
import type { Role } from "~db/schema/members";

export type { Role };

export interface Actor {
  id: number;
  role: Role;
  /** For trust levels; an actor without them is treated as established. */
  createdAt?: Date | string;
  postCount?: number;
  suspendedUntil?: Date | string | null;
}

/** New accounts (after Discourse's trust level 0): younger than a day, or fewer than 3 posts. */
export const NEW_ACCOUNT = { minAgeMs: 24 * 60 * 60 * 1000, minPosts: 3 } as const;

export function isNewAccount(actor: Actor, now = Date.now()): boolean {
  if (isStaff(actor)) return false;
  const young = actor.createdAt !== undefined && now - new Date(actor.createdAt).getTime() < NEW_ACCOUNT.minAgeMs;
  const fewPosts = actor.postCount !== undefined && actor.postCount < NEW_ACCOUNT.minPosts;
  return young || fewPosts;
}

export const SUSPENDED_MESSAGE = "Your account is suspended: you can read the forum, but not post, flag or accept answers.";

export function isSuspended(actor: Pick<Actor, "suspendedUntil"> | null | undefined, now = Date.now()): boolean {
  return Boolean(actor?.suspendedUntil && new Date(actor.suspendedUntil).getTime() > now);
}

interface MemberRef {
  id: number;
  role: Role;
}

interface ThreadRef {
  authorId: number;
  lockedAt: Date | string | null;
  hiddenAt: Date | string | null;
}

interface PostRef {
  authorId: number;
  hiddenAt: Date | string | null;
}

/** Each action and the subject it is checked against (`undefined` when it needs none). */
export interface ActionSubjects {
  "admin:view": undefined;
  "member:set-role": { target: MemberRef };
  "account:manage": undefined;
  "thread:create": { category: { staffOnly: boolean } };
  "thread:reply": { thread: ThreadRef };
  "thread:watch": undefined;
  /** Accepting, changing or withdrawing the accepted answer. */
  "answer:accept": { thread: ThreadRef };
  "post:edit": { post: PostRef; thread: ThreadRef };
  /** Editing someone else's post, which needs a reason. */
  "post:edit-others": undefined;
  /**
   * Deleting one's own post: `wasAccepted` when it was ever the accepted answer, `flagged` while
   * a flag on it awaits a moderator.
   */
  "post:delete": { post: PostRef; thread: ThreadRef; isLastPost: boolean; wasAccepted: boolean; flagged: boolean };
  "post:flag": { post: PostRef };
  /** Pin, lock, move, hide, restore, merge, review flags: the moderator's tools. */
  "thread:moderate": undefined;
  "member:suspend": { target: MemberRef };
  "modlog:view": undefined;
  /** Reward packages, grants, revocations, billing ids and hook deliveries. */
  "reward:manage": undefined;
}

/** Actions a suspended member may still take: reading-adjacent ones only. */
const ALLOWED_WHILE_SUSPENDED = new Set<Action>(["account:manage", "thread:watch"]);

export type Action = keyof ActionSubjects;

type SubjectArgs<A extends Action> = ActionSubjects[A] extends undefined ? [] : [ActionSubjects[A]];

/** The roles an admin can hand out from the admin pages; admins are made on the command line. */
export const ASSIGNABLE_ROLES = ["member", "moderator"] as const satisfies readonly Role[];
export type AssignableRole = (typeof ASSIGNABLE_ROLES)[number];

export function can<A extends Action>(actor: Actor | null | undefined, action: A, ...args: SubjectArgs<A>): boolean {
  if (!actor) return false;
  if (isSuspended(actor) && !ALLOWED_WHILE_SUSPENDED.has(action)) return false;
  switch (action) {
    case "account:manage":
      return true;
    case "admin:view":
      return actor.role === "admin";
    case "member:set-role": {
      // Admins are made on the command line, so an admin cannot be demoted (or lock themselves out) here.
      const { target } = args[0] as ActionSubjects["member:set-role"];
      return actor.role === "admin" && target.id !== actor.id && target.role !== "admin";
    }
    case "thread:create":
      return !(args[0] as ActionSubjects["thread:create"]).category.staffOnly || isStaff(actor);
    case "thread:reply": {
      const { thread } = args[0] as ActionSubjects["thread:reply"];
      return isStaff(actor) || (!thread.lockedAt && !thread.hiddenAt);
    }
    case "thread:watch":
      return true;
    case "answer:accept": {
      const { thread } = args[0] as ActionSubjects["answer:accept"];
      return isStaff(actor) || (thread.authorId === actor.id && !thread.lockedAt && !thread.hiddenAt);
    }
    case "post:edit": {
      const { post, thread } = args[0] as ActionSubjects["post:edit"];
      // A hidden thread's posts wait for a moderator's decision as they are: an edit meanwhile
      // would be published, unseen, by a restore.
      return isStaff(actor) || (post.authorId === actor.id && !thread.lockedAt && !thread.hiddenAt && !post.hiddenAt);
    }
    case "post:edit-others":
      return isStaff(actor);
    case "post:delete": {
      // Only while nothing depends on the post. A flagged or hidden post, or one in a hidden or
      // locked thread, awaits or carries a moderator's decision (deleting it would drop its flags
      // and the thread with a question); staff, who may still reply to a locked thread, may take
      // their own reply back. An answer that was ever accepted keeps the accept records the
      // figures are audited against, which would go with it.
      const { post, thread, isLastPost, wasAccepted, flagged } = args[0] as ActionSubjects["post:delete"];
      return post.authorId === actor.id && isLastPost && !post.hiddenAt && !thread.hiddenAt && (!thread.lockedAt || isStaff(actor)) && !wasAccepted && !flagged;
    }
    case "post:flag": {
      const { post } = args[0] as ActionSubjects["post:flag"];
      return post.authorId !== actor.id && !post.hiddenAt && !isNewAccount(actor);
    }
    case "thread:moderate":
      return isStaff(actor);
    case "member:suspend": {
      // Moderators suspend members; admins also moderators; nobody suspends an admin or themselves.
      const { target } = args[0] as ActionSubjects["member:suspend"];
      if (target.id === actor.id || target.role === "admin") return false;
      return actor.role === "admin" || (actor.role === "moderator" && target.role === "member");
    }
    case "modlog:view":
    case "reward:manage":
      return actor.role === "admin";
    default:
      return false;
  }
}

/** Whether a thread or post shows: hidden ones only to staff and their author. Needs no account. */
export function canSee(actor: Actor | null | undefined, item: { authorId: number; hiddenAt: Date | string | null }): boolean {
  return !item.hiddenAt || (actor ? isStaff(actor) || item.authorId === actor.id : false);
}

export function isStaff(actor: Actor | null | undefined): boolean {
  return actor?.role === "moderator" || actor?.role === "admin";
}

/** Rewards go to moderators only: admins run the program, members have not been trusted yet. */
export function canReceiveRewards(member: { role: Role }): boolean {
  return member.role === "moderator";
}
