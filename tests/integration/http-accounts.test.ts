/**
 * The account pages through real HTTP: the production Remix build behind the real Express app,
 * driven like a browser with JavaScript off. Bad input must get a clear 4xx and change nothing.
 */
import { createHash, randomBytes } from "node:crypto";
import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~db/client";
import { members, passwordResets, sessions } from "~db/schema";
import { makeMember, roleOf, uniqueName } from "../support/factories";
import { startTestApp, Visitor, type TestApp } from "../support/app";
import { NO_POSTING_LIMITS } from "../support/database-per-file";
import { getSetting, saveSetting } from "~/models/settings.server";
import { isResetTokenUsable } from "~/models/password-resets.server";
import { verifyPassword } from "~/auth/password.server";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function memberCount(): Promise<number> {
  const [row] = await db().select({ n: count() }).from(members);
  return row!.n;
}

async function sessionsOf(memberId: number): Promise<number> {
  const [row] = await db().select({ n: count() }).from(sessions).where(eq(sessions.userId, memberId));
  return row!.n;
}

async function exists(username: string): Promise<boolean> {
  const [row] = await db().select({ n: count() }).from(members).where(eq(sql`lower(${members.username})`, username.toLowerCase()));
  return row!.n > 0;
}

const signUpForm = (username: string, overrides: Record<string, string> = {}) => ({
  username,
  email: `${username}@example.test`,
  password: "violet staple gravity 42",
  ...overrides,
});

describe("signing up", () => {
  it("creates the account, signs in with a safe cookie, and shows the name in the header", async () => {
    const visitor = new Visitor(app);
    const username = uniqueName("new");
    const response = await visitor.post("/signup", signUpForm(username));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/?notice=signed-up");
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^hosthelp_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const home = await visitor.text(await visitor.get("/?notice=signed-up"));
    expect(home).toContain(username);
    expect(home).toContain("Welcome to HostHelp!");
    expect(home).toContain("Sign out");
  });

  it("answers an empty form with 400 and a message for every field", async () => {
    const before = await memberCount();
    const visitor = new Visitor(app);
    const response = await visitor.post("/signup", { username: "", email: "", password: "" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Enter a username.");
    expect(html).toContain("Enter your email address.");
    expect(html).toContain("Enter a password.");
    expect(html).toMatch(/aria-invalid="true"/);
    expect(await memberCount()).toBe(before);
  });

  it("keeps what was typed, except the password", async () => {
    const visitor = new Visitor(app);
    const response = await visitor.post("/signup", { username: "ok_name_here", email: "not-an-email", password: "my secret passphrase" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('value="ok_name_here"');
    expect(html).toContain('value="not-an-email"');
    expect(html).not.toContain("my secret passphrase");
  });

  it("refuses a 10,000-character username with 400", async () => {
    const visitor = new Visitor(app);
    const long = "a".repeat(10_000);
    const response = await visitor.post("/signup", signUpForm(long, { email: `${uniqueName()}@example.test` }));
    expect(response.status).toBe(400);
    expect(await visitor.text(response)).toContain("Use at most 24 characters.");
    expect(await exists(long)).toBe(false);
  });

  it("refuses SQL-looking usernames with 400 and leaves the tables alone", async () => {
    const before = await memberCount();
    for (const username of ["x'); DROP TABLE members;--", "' OR '1'='1", "admin'--"]) {
      const visitor = new Visitor(app);
      const response = await visitor.post("/signup", signUpForm(username, { email: `${uniqueName()}@example.test` }));
      expect(response.status).toBe(400);
    }
    expect(await memberCount()).toBe(before);
  });

  it("refuses common passwords and taken names, with the message by the field", async () => {
    const taken = await makeMember();
    const visitor = new Visitor(app);
    const common = await visitor.post("/signup", signUpForm(uniqueName(), { password: "password123" }));
    expect(common.status).toBe(400);
    expect(await visitor.text(common)).toContain("among the most common");
    const clash = await visitor.post("/signup", signUpForm(taken.username.toUpperCase(), { email: `${uniqueName()}@example.test` }));
    expect(clash.status).toBe(409);
    expect(await visitor.text(clash)).toContain("That username is taken");
  });

  it("escapes what people type when showing it back", async () => {
    const visitor = new Visitor(app);
    const response = await visitor.post("/signup", { username: '"><script>alert(1)</script>', email: "x", password: "" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});

describe("the Origin check", () => {
  it("answers a cross-site POST with 403 and creates nothing", async () => {
    const visitor = new Visitor(app);
    const username = uniqueName("csrf");
    const response = await visitor.post("/signup", signUpForm(username), { Origin: "https://evil.example" });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("another site");
    expect(await exists(username)).toBe(false);
  });

  it("protects signed-in actions too: a forged sign-out-everywhere ends no session", async () => {
    const member = await makeMember();
    const visitor = new Visitor(app);
    await visitor.post("/login", { login: member.username, password: member.password });
    expect(await sessionsOf(member.id)).toBe(1);
    const forged = await visitor.post("/account", { intent: "sign-out-everywhere" }, { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" });
    expect(forged.status).toBe(403);
    expect(await sessionsOf(member.id)).toBe(1);
  });
});

describe("signing in and out", () => {
  it("signs in with a new session id each time and signs out for real", async () => {
    const member = await makeMember();
    const visitor = new Visitor(app);
    visitor.cookies.set("hosthelp_session", "planted-by-an-attacker");
    const response = await visitor.post("/login", { login: member.username, password: member.password, redirectTo: "/account" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/account?notice=signed-in");
    const sessionId = visitor.cookies.get("hosthelp_session")!;
    expect(sessionId).not.toBe("planted-by-an-attacker");
    expect((await visitor.get("/account")).status).toBe(200);

    const signOut = await visitor.post("/logout", {});
    expect(signOut.status).toBe(302);
    expect(visitor.cookies.has("hosthelp_session")).toBe(false);
    // The old cookie, replayed, no longer opens the account.
    const replay = new Visitor(app);
    replay.cookies.set("hosthelp_session", sessionId);
    const account = await replay.get("/account");
    expect(account.status).toBe(302);
    expect(account.headers.get("location")).toBe("/login?redirectTo=%2Faccount");
  });

  it("answers 20 wrong passwords with 4xx, then a 429 with Retry-After, and never a session", async () => {
    const member = await makeMember();
    const visitor = new Visitor(app);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const response = await visitor.post("/login", { login: member.username, password: `wrong guess ${i}` });
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      await response.body?.cancel();
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses.slice(10)).toEqual(Array(10).fill(429));
    expect(await sessionsOf(member.id)).toBe(0);
    const page = await visitor.text(await visitor.post("/login", { login: member.username, password: member.password }));
    expect(page).toContain("Too many sign-in attempts");
  });

  it("says the same for an unknown account as for a wrong password", async () => {
    const member = await makeMember();
    const a = await new Visitor(app).post("/login", { login: member.username, password: "not it at all" });
    const b = await new Visitor(app).post("/login", { login: uniqueName("ghost"), password: "not it at all" });
    expect([a.status, b.status]).toEqual([400, 400]);
    const message = (html: string) => html.match(/<p class="form-error"[^>]*>([^<]*)<\/p>/)?.[1];
    expect(message(await a.text())).toBe(message(await b.text()));
  });

  it("does not follow a redirect to another site after sign-in", async () => {
    const member = await makeMember();
    for (const redirectTo of ["//evil.example/steal", "/.//evil.example/steal", "/%2e//evil.example/steal"]) {
      const response = await new Visitor(app).post("/login", { login: member.username, password: member.password, redirectTo });
      expect([redirectTo, response.headers.get("location")]).toEqual([redirectTo, "/?notice=signed-in"]);
    }
  });
});

describe("the account page", () => {
  it("requires signing in", async () => {
    const response = await new Visitor(app).get("/account");
    expect(response.status).toBe(302);
  });

  it("changes the password, ending the other devices' sessions but keeping this one", async () => {
    const member = await makeMember();
    const laptop = new Visitor(app);
    const phone = new Visitor(app);
    await laptop.post("/login", { login: member.username, password: member.password });
    await phone.post("/login", { login: member.username, password: member.password });
    const wrong = await laptop.post("/account", { intent: "change-password", currentPassword: "nope nope nope", newPassword: "a whole new phrase" });
    expect(wrong.status).toBe(400);
    expect(await laptop.text(wrong)).toContain("That is not your current password.");
    const changed = await laptop.post("/account", { intent: "change-password", currentPassword: member.password, newPassword: "a whole new phrase" });
    expect(changed.status).toBe(302);
    expect((await laptop.get("/account")).status).toBe(200);
    expect((await phone.get("/account")).status).toBe(302);
    expect(await sessionsOf(member.id)).toBe(1);
  });

  it("signs out everywhere", async () => {
    const member = await makeMember();
    const laptop = new Visitor(app);
    const phone = new Visitor(app);
    await laptop.post("/login", { login: member.username, password: member.password });
    await phone.post("/login", { login: member.username, password: member.password });
    const response = await laptop.post("/account", { intent: "sign-out-everywhere" });
    expect(response.headers.get("location")).toBe("/?notice=signed-out-everywhere");
    expect(await sessionsOf(member.id)).toBe(0);
    expect((await phone.get("/account")).status).toBe(302);
  });

  it("counts wrong current passwords against the sign-in allowance, and then refuses even the right one for a while", async () => {
    const member = await makeMember();
    const visitor = new Visitor(app);
    await visitor.post("/login", { login: member.username, password: member.password });
    for (let i = 0; i < 10; i++) {
      expect((await visitor.post("/account", { intent: "change-password", currentPassword: `wrong guess ${i}`, newPassword: "a whole new phrase" })).status).toBe(400);
    }
    const refused = await visitor.post("/account", { intent: "change-password", currentPassword: member.password, newPassword: "a whole new phrase" });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.text()).toMatch(/id="field-currentPassword-error"[^>]*>Too many wrong passwords\. Try again in \d+ minutes?\./);
    // Nothing changed: the password is the old one, and this browser is still signed in.
    expect((await visitor.get("/account")).status).toBe(200);
    const [row] = await db().select({ passwordHash: members.passwordHash }).from(members).where(eq(members.id, member.id));
    expect(await verifyPassword(row!.passwordHash, member.password)).toBe(true);
  });

  it("spends the reset links sent before a password change or a sign-out everywhere", async () => {
    // A link as requestPasswordReset stores it; the emailed one is redacted once the worker sends it.
    const resetLink = async (memberId: number) => {
      const token = randomBytes(32).toString("base64url");
      const tokenHash = createHash("sha256").update(token).digest("hex");
      await db().insert(passwordResets).values({ tokenHash, memberId, expiresAt: new Date(Date.now() + 60 * 60 * 1000) });
      expect(await isResetTokenUsable(token)).toBe(true);
      return token;
    };
    const member = await makeMember();
    const visitor = new Visitor(app);
    await visitor.post("/login", { login: member.username, password: member.password });
    const beforeChange = await resetLink(member.id);
    await visitor.post("/account", { intent: "change-password", currentPassword: member.password, newPassword: "a whole new phrase" });
    expect(await isResetTokenUsable(beforeChange)).toBe(false);

    const beforeSignOut = await resetLink(member.id);
    await visitor.post("/account", { intent: "sign-out-everywhere" });
    expect(await isResetTokenUsable(beforeSignOut)).toBe(false);
  });
});

describe("password reset requests", () => {
  it("give the same answer whether or not the address has an account, and are rate limited", async () => {
    const member = await makeMember();
    const visitor = new Visitor(app);
    const known = await visitor.text(await visitor.post("/reset-password", { email: member.email }));
    const unknown = await visitor.text(await visitor.post("/reset-password", { email: `${uniqueName()}@example.test` }));
    const strip = (text: string) => text.replace(/\S+@example\.test/, "EMAIL");
    expect(strip(known)).toEqual(strip(unknown));
    expect(known).toContain("Check your email");
    await visitor.post("/reset-password", { email: member.email });
    await visitor.post("/reset-password", { email: member.email });
    const limited = await visitor.post("/reset-password", { email: member.email });
    expect(limited.status).toBe(429);
  });

  it("show a clear page for a bad link, with 410", async () => {
    const response = await new Visitor(app).get("/reset-password/not-a-real-token");
    expect(response.status).toBe(410);
    expect(await response.text()).toContain("This link no longer works");
    const post = await new Visitor(app).post("/reset-password/not-a-real-token", { password: "a perfectly fine one" });
    expect(post.status).toBe(410);
  });
});

describe("admin pages", () => {
  it("are refused to members and moderators, and open for admins", async () => {
    const member = await makeMember();
    const moderator = await makeMember({ role: "moderator" });
    const admin = await makeMember({ role: "admin" });
    for (const [who, status] of [
      [member, 403],
      [moderator, 403],
      [admin, 200],
    ] as const) {
      const visitor = new Visitor(app);
      await visitor.post("/login", { login: who.username, password: who.password });
      const response = await visitor.get("/admin/members");
      expect(response.status).toBe(status);
      const html = await response.text();
      // The members list, with emails, must not leak into a refused page's data.
      if (status === 403) expect(html).not.toContain(admin.email);
    }
  });

  it("let an admin make a member a moderator; a member posting the same form gets 403", async () => {
    const admin = await makeMember({ role: "admin" });
    const target = await makeMember();
    const intruder = await makeMember();
    const visitor = new Visitor(app);
    await visitor.post("/login", { login: intruder.username, password: intruder.password });
    const refused = await visitor.post("/admin/members", { memberId: String(target.id), role: "moderator" });
    expect(refused.status).toBe(403);
    expect(await roleOf(target.id)).toBe("member");

    const adminVisitor = new Visitor(app);
    await adminVisitor.post("/login", { login: admin.username, password: admin.password });
    const bad = await adminVisitor.post("/admin/members", { memberId: "abc", role: "emperor" });
    expect(bad.status).toBe(400);
    const promoted = await adminVisitor.post("/admin/members", { memberId: String(target.id), role: "moderator" });
    expect(promoted.status).toBe(200);
    expect(await adminVisitor.text(promoted)).toContain(`${target.username} is now a moderator.`);
    expect(await roleOf(target.id)).toBe("moderator");
  });
});

describe("admin settings", () => {
  it("change the posting limits, refusing bad numbers by their field", async () => {
    const admin = await makeMember({ role: "admin" });
    const visitor = new Visitor(app);
    await visitor.post("/login", { login: admin.username, password: admin.password });
    const fields = (overrides: Record<string, string> = {}) => {
      const form: Record<string, string> = {};
      for (const level of ["new", "established"]) for (const field of ["secondsBetweenPosts", "threadsPerDay", "repliesPerDay", "linksPerPost"]) form[`${level}.${field}`] = "7";
      return { ...form, ...overrides };
    };
    const bad = await visitor.post("/admin/settings", fields({ "new.linksPerPost": "-1", "established.threadsPerDay": "lots" }));
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("Use 0 or more.");
    expect(html).toContain("Enter a number.");
    expect(html).toContain('value="lots"');
    expect((await getSetting("posting_limits")).new.linksPerPost).not.toBe(-1);
    const saved = await visitor.post("/admin/settings", fields());
    expect(saved.status).toBe(302);
    expect(await getSetting("posting_limits")).toEqual({ new: { secondsBetweenPosts: 7, threadsPerDay: 7, repliesPerDay: 7, linksPerPost: 7 }, established: { secondsBetweenPosts: 7, threadsPerDay: 7, repliesPerDay: 7, linksPerPost: 7 } });
    await saveSetting(null, "posting_limits", NO_POSTING_LIMITS);
  });
});

describe("every page", () => {
  it("carries the security headers, with a nonce on Remix's inline scripts only", async () => {
    const response = await new Visitor(app).get("/login");
    const csp = response.headers.get("content-security-policy")!;
    for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) expect(csp).toContain(directive);
    const nonce = csp.match(/'nonce-([^']+)'/)![1];
    expect(csp).not.toContain("unsafe-inline");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    const html = await response.text();
    const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
    expect(inlineScripts.length).toBeGreaterThan(0);
    for (const [, attributes] of inlineScripts) expect(attributes).toContain(`nonce="${nonce}"`);
    const next = (await new Visitor(app).get("/login")).headers.get("content-security-policy")!;
    expect(next.match(/'nonce-([^']+)'/)![1]).not.toBe(nonce);
  });

  it("answers unknown addresses with a friendly 404 and errors without stack traces", async () => {
    const response = await new Visitor(app).get("/no/such/page");
    expect(response.status).toBe(404);
    const text = await new Visitor(app).text(response);
    expect(text).toContain("Page not found");
    const missingMember = await new Visitor(app).get(`/u/${uniqueName("nobody")}`);
    expect(missingMember.status).toBe(404);
  });

  it("reports health", async () => {
    const response = await new Visitor(app).get("/healthz");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok\n");
  });

  it("refuses request bodies over 1 MiB with 413", async () => {
    const response = await new Visitor(app).post("/signup", { username: "x".repeat(2 * 1024 * 1024) });
    expect(response.status).toBe(413);
  });

  it("refuses a body sent without its length (chunked), whose size could not be judged before reading it", async () => {
    const chunks = [new TextEncoder().encode("username="), new TextEncoder().encode("x".repeat(2 * 1024 * 1024))];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await fetch(`${app.origin}/login`, { method: "POST", body, duplex: "half", headers: { "Content-Type": "application/x-www-form-urlencoded" } } as RequestInit);
    expect(response.status).toBe(411);
  });
});
