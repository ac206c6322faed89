/**
 * Sessions, through lucia v3 and its drizzle adapter. Everything lucia-specific stays in this
 * file, so moving to the lucia-auth.com session guide later means rewriting only this module.
 */
import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { Lucia, TimeSpan } from "lucia";
import { db, type Database } from "~db/client";
import { members, sessions, type Role } from "~db/schema";

export interface CurrentMember {
  id: number;
  username: string;
  role: Role;
  createdAt: Date;
  postCount: number;
  suspendedUntil: Date | null;
}

export interface RequestSession {
  member: CurrentMember | null;
  sessionId: string | null;
  /** A Set-Cookie header to send with the response: an extended or a cleared session cookie. */
  setCookie: string | null;
}

function createLucia(database: Database) {
  return new Lucia(new DrizzlePostgreSQLAdapter(database, sessions, members), {
    sessionExpiresIn: new TimeSpan(30, "d"),
    sessionCookie: {
      name: "hosthelp_session",
      expires: true,
      attributes: { secure: process.env.NODE_ENV === "production", sameSite: "lax" },
    },
    getUserAttributes: ({ username, role, createdAt, postCount, suspendedUntil }) => ({ username, role, createdAt, postCount, suspendedUntil }),
  });
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    UserId: number;
    DatabaseUserAttributes: { username: string; role: Role; createdAt: Date; postCount: number; suspendedUntil: Date | null };
  }
}

let cached: { database: Database; lucia: ReturnType<typeof createLucia> } | undefined;

function lucia() {
  const database = db();
  if (cached?.database !== database) cached = { database, lucia: createLucia(database) };
  return cached.lucia;
}

export function sessionCookieName(): string {
  return lucia().sessionCookieName;
}

/** Whether a Cookie header carries a session cookie at all, valid or not: no database needed. */
export function hasSession(cookieHeader: string | null | undefined): boolean {
  return cookieHeader ? lucia().readSessionCookie(cookieHeader) !== null : false;
}

export async function readSession(cookieHeader: string | null | undefined): Promise<RequestSession> {
  const auth = lucia();
  const sessionId = auth.readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return { member: null, sessionId: null, setCookie: null };
  const { session, user } = await auth.validateSession(sessionId);
  if (!session) return { member: null, sessionId: null, setCookie: auth.createBlankSessionCookie().serialize() };
  return {
    member: { id: user.id, username: user.username, role: user.role, createdAt: user.createdAt, postCount: user.postCount, suspendedUntil: user.suspendedUntil },
    sessionId: session.id,
    setCookie: session.fresh ? auth.createSessionCookie(session.id).serialize() : null,
  };
}

/** Starts a new session (always a new id, so a planted session id is useless) and returns its cookie. */
export async function startSession(memberId: number): Promise<string> {
  const auth = lucia();
  const session = await auth.createSession(memberId, {});
  return auth.createSessionCookie(session.id).serialize();
}

/** Ends one session and returns the cookie that clears it in the browser. */
export async function endSession(sessionId: string | null): Promise<string> {
  const auth = lucia();
  if (sessionId) await auth.invalidateSession(sessionId);
  return auth.createBlankSessionCookie().serialize();
}

export async function endAllSessions(memberId: number): Promise<void> {
  await lucia().invalidateUserSessions(memberId);
}

export async function deleteExpiredSessions(): Promise<void> {
  await lucia().deleteExpiredSessions();
}
