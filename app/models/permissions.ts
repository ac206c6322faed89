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

/** Each action and the subject it is checked against (`undefined` when it needs none). */
export interface ActionSubjects {
  "admin:view": undefined;
  "member:set-role": { target: MemberRef };
  "account:manage": undefined;
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
    default:
      return false;
  }
}

export function isStaff(actor: Actor | null | undefined): boolean {
  return actor?.role === "moderator" || actor?.role === "admin";
}
