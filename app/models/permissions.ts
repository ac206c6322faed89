/**
 * Who may do what. Pure functions with no I/O: the server calls them to enforce a rule and the
 * pages call them to decide which controls to show, so the two can never disagree.
 */
import type { Role } from "~db/schema/members";

export type { Role };

export interface Actor {
  id: number;
  role: Role;
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
  "post:delete": { post: PostRef; isLastPost: boolean };
}

export type Action = keyof ActionSubjects;

type SubjectArgs<A extends Action> = ActionSubjects[A] extends undefined ? [] : [ActionSubjects[A]];

/** The roles an admin can hand out from the admin pages; admins are made on the command line. */
export const ASSIGNABLE_ROLES = ["member", "moderator"] as const satisfies readonly Role[];
export type AssignableRole = (typeof ASSIGNABLE_ROLES)[number];

export function can<A extends Action>(actor: Actor | null | undefined, action: A, ...args: SubjectArgs<A>): boolean {
  if (!actor) return false;
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
      return isStaff(actor) || (post.authorId === actor.id && !thread.lockedAt && !post.hiddenAt);
    }
    case "post:edit-others":
      return isStaff(actor);
    case "post:delete": {
      const { post, isLastPost } = args[0] as ActionSubjects["post:delete"];
      return post.authorId === actor.id && isLastPost;
    }
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
