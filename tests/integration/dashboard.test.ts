/**
 * The admin dashboard against a real database: reward spend per month from the ledger, grants per
 * moderator without the revoked ones, and first-response times per week, each checked to the cent
 * and the second; then the /admin page over HTTP with its charts and their tables.
 *
 * Reward rows are written straight into the tables (the grant model is tested on its own). The
 * figures are checked as of a fixed moment in 2021, among rows dated before it, so that rows made
 * now (by the page tests here, or by other files in the shared PostgreSQL database) stay out.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~db/client";
import { outboxEvents, rewardGrants, rewardLedger, rewardPackages, rewardRevocations, threads } from "~db/schema";
import { adminDashboard, firstResponseByWeek, type MonthlySpend, monthStarts, type WeeklyFirstResponse, weekStarts } from "~/models/dashboard.server";
import { saveSetting, SETTINGS } from "~/models/settings.server";
import { htmlToText, startTestApp, Visitor, type TestApp } from "../support/app";
import { makeMember, makeThread, uniqueName } from "../support/factories";

type Member = Awaited<ReturnType<typeof makeMember>>;

const AS_OF = new Date("2021-03-17T12:00:00Z"); // a Wednesday
const at = (iso: string) => new Date(iso);
const HOUR = 3600;

/** An outbox row for a reward event, already delivered so that no worker picks it up. */
async function deliveredEvent(topic: string) {
  const [event] = await db()
    .insert(outboxEvents)
    .values({ topic, payload: { test: "dashboard" }, status: "delivered", deliveredAt: new Date() })
    .returning({ id: outboxEvents.id });
  return event!.id;
}

async function makePackage(currency: string) {
  const [row] = await db()
    .insert(rewardPackages)
    .values({ name: uniqueName("pkg"), creditAmount: "25.00", currency, productCode: "credit" })
    .returning({ id: rewardPackages.id });
  return row!.id;
}

/** A grant with its ledger entry at `grantedAt`, and when `revokedAt` is given, its revocation. */
async function grant(options: { to: Member; by: Member; packageId: number; amount: string; currency: string; grantedAt: Date; revokedAt?: Date }) {
  const { to, by, packageId, amount, currency, grantedAt, revokedAt } = options;
  const [row] = await db()
    .insert(rewardGrants)
    .values({
      idempotencyKey: crypto.randomUUID(),
      packageId,
      memberId: to.id,
      grantedById: by.id,
      creditAmount: amount,
      currency,
      reason: "Dashboard figures",
      eventId: await deliveredEvent("reward.granted"),
      createdAt: grantedAt,
    })
    .returning({ id: rewardGrants.id });
  const grantId = row!.id;
  await db().insert(rewardLedger).values({ memberId: to.id, grantId, kind: "grant", amount, currency, createdAt: grantedAt });
  if (revokedAt) {
    await db()
      .insert(rewardRevocations)
      .values({ grantId, revokedById: by.id, reason: "Granted by mistake", eventId: await deliveredEvent("reward.revoked"), createdAt: revokedAt });
    await db().insert(rewardLedger).values({ memberId: to.id, grantId, kind: "revoke", amount: `-${amount}`, currency, createdAt: revokedAt });
  }
}

/** A thread asked at `askedAt`, first answered `answeredAfter` seconds later (or still waiting). */
async function askedThread(author: Member, options: { askedAt: string; answeredAfter?: number; urgent?: boolean; hidden?: boolean; announcement?: boolean }) {
  const thread = await makeThread(author, { urgent: options.urgent ?? false });
  if (options.announcement) await db().update(threads).set({ categoryId: sql`(select id from categories where slug = 'announcements')` }).where(eq(threads.id, thread.id));
  const createdAt = at(options.askedAt);
  await db()
    .update(threads)
    .set({
      createdAt,
      firstResponseAt: options.answeredAfter === undefined ? null : new Date(createdAt.getTime() + options.answeredAfter * 1000),
      hiddenAt: options.hidden ? createdAt : null,
    })
    .where(eq(threads.id, thread.id));
  return thread;
}

const NO_RESPONSES = { answered: 0, answeredWithinTarget: 0, waitingPastTarget: 0, waitingWithinTarget: 0, medianSeconds: null, withinTargetShare: null };

describe("the /admin page", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  async function signedIn(member: Member) {
    const visitor = new Visitor(app);
    const response = await visitor.post("/login", { login: member.username, password: member.password });
    expect(response.status).toBe(302);
    return visitor;
  }

  // Each PGlite file has a database of its own, empty of anything recent; the PostgreSQL one is
  // shared with files that grant and ask now.
  it.skipIf(process.env.HOSTHELP_TEST_DRIVER === "postgres")("says so when there is nothing to chart yet", async () => {
    const admin = await signedIn(await makeMember({ role: "admin" }));
    const text = await admin.text(await admin.get("/admin"));
    expect(text).toContain("No credit was granted or revoked in the last 12 months.");
    expect(text).toContain("No grants yet.");
    expect(text).toContain("No threads were asked in the last 12 weeks.");
  });

  it("draws the three charts with their tables for an admin, in a fixed number of SQL statements", async () => {
    const admin = await makeMember({ role: "admin" });
    const visitor = await signedIn(admin);
    const before = await visitor.get("/admin");
    expect(before.status).toBe(200);

    const moderator = await makeMember({ role: "moderator", username: uniqueName("chart") });
    await grant({ to: moderator, by: admin, packageId: await makePackage("GBP"), amount: "1234.56", currency: "GBP", grantedAt: new Date() });
    await askedThread(moderator, { askedAt: new Date(Date.now() - 2 * HOUR * 1000).toISOString(), answeredAfter: HOUR });
    const response = await visitor.get("/admin");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-sql-queries")).toBe(before.headers.get("x-sql-queries"));
    // Over the layout's own: two for the overview's figures, four for the charts (the reward
    // period setting and one aggregate per chart).
    const layout = Number((await visitor.get("/about")).headers.get("x-sql-queries"));
    expect(Number(response.headers.get("x-sql-queries"))).toBe(layout + 6);

    const html = await response.text();
    // Four SVG charts (spend in pounds, grants, median, share), each an image with a title and a description.
    const charts = html.match(/<svg class="chart chart--(?:columns|bars)"[^>]*role="img"[^>]*aria-labelledby="[^"]+title [^"]+desc"/g) ?? [];
    expect(charts.length).toBeGreaterThanOrEqual(4);
    // Weeks are labelled by their day, with the month under the first of each; hovering names the whole week.
    expect(html).toMatch(/<title>week of \d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept|Oct|Nov|Dec) \d{4}: /);
    expect(html).toContain("<title");
    expect(html).not.toMatch(/ style="/);
    for (const caption of ["Net reward credit per month in GBP", "Grants per moderator", "First response per week"]) {
      expect(html).toMatch(new RegExp(`<summary>${caption}: the numbers</summary><table class="table"><caption[^>]*>${caption}</caption>`));
    }
    const text = htmlToText(html);
    expect(text).toContain("1,234.56 GBP");
    expect(text).toContain(moderator.username);
    expect(text).toMatch(/Median first response .* Share within target/);
  });

  it("refuses members and moderators", async () => {
    for (const role of ["member", "moderator"] as const) {
      const visitor = await signedIn(await makeMember({ role }));
      expect((await visitor.get("/admin")).status).toBe(403);
    }
    const anonymous = await new Visitor(app).get("/admin");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/login/);
  });
});

describe("reward figures", () => {
  let alice: Member;
  let bruno: Member;
  let carla: Member;

  beforeAll(async () => {
    const admin = await makeMember({ role: "admin" });
    const moderator = (prefix: string) => makeMember({ role: "moderator", username: uniqueName(prefix) });
    // Names sort in this order, as the two busiest moderators tie.
    [alice, bruno, carla] = await Promise.all([moderator("moda"), moderator("modb"), moderator("modc")]);
    const dollars = await makePackage("USD");
    const euros = await makePackage("EUR");
    const usd = { by: admin, packageId: dollars, currency: "USD" };
    // Before the 12 months shown, and before the 90-day reward period: counts all time only.
    await grant({ ...usd, to: alice, amount: "99.99", grantedAt: at("2020-03-31T23:59:59Z") });
    await grant({ ...usd, to: alice, amount: "25.00", grantedAt: at("2021-01-10T09:00:00Z") });
    // Granted in February, revoked in March: spend in February, taken back in March.
    await grant({ ...usd, to: alice, amount: "40.00", grantedAt: at("2021-02-20T09:00:00Z"), revokedAt: at("2021-03-05T09:00:00Z") });
    await grant({ ...usd, to: bruno, amount: "25.00", grantedAt: at("2021-03-02T09:00:00Z") });
    // Half an hour before December in UTC: November's.
    await grant({ by: admin, packageId: euros, currency: "EUR", to: bruno, amount: "10.50", grantedAt: at("2020-11-30T23:30:00Z") });
    // After the moment the dashboard is computed for.
    await grant({ ...usd, to: carla, amount: "5.00", grantedAt: at("2021-03-18T09:00:00Z") });
  });

  it("sums net spend per month and currency from the ledger, a revocation in the month it was made", async () => {
    const { spend } = await adminDashboard(AS_OF);
    const months = monthStarts(AS_OF, 12);
    expect(months[0]).toBe("2020-04-01");
    expect(months[11]).toBe("2021-03-01");
    const emptyMonths = (figures: Record<string, Partial<MonthlySpend>>) =>
      months.map((month) => ({ month, granted: "0.00", revoked: "0.00", net: "0.00", ...figures[month] }));
    expect(spend).toEqual([
      { currency: "EUR", months: emptyMonths({ "2020-11-01": { granted: "10.50", net: "10.50" } }) },
      {
        currency: "USD",
        months: emptyMonths({
          "2021-01-01": { granted: "25.00", net: "25.00" },
          "2021-02-01": { granted: "40.00", net: "40.00" },
          "2021-03-01": { granted: "25.00", revoked: "-40.00", net: "-15.00" },
        }),
      },
    ]);
  });

  it("counts and sums each moderator's standing grants, in the reward period and all time", async () => {
    const { grants, rewardPeriodDays } = await adminDashboard(AS_OF);
    expect(rewardPeriodDays).toBe(90);
    expect(grants).toEqual([
      {
        memberId: alice.id,
        username: alice.username,
        period: { grants: 1, amounts: [{ amount: "25.00", currency: "USD" }] },
        allTime: { grants: 2, amounts: [{ amount: "124.99", currency: "USD" }] },
      },
      {
        memberId: bruno.id,
        username: bruno.username,
        period: { grants: 1, amounts: [{ amount: "25.00", currency: "USD" }] },
        allTime: {
          grants: 2,
          amounts: [
            { amount: "10.50", currency: "EUR" },
            { amount: "25.00", currency: "USD" },
          ],
        },
      },
    ]);
  });

  it("takes the reward period from the admin settings", async () => {
    await saveSetting(null, "reward_program", { ...SETTINGS.reward_program.defaults, periodDays: 120 });
    try {
      const { grants, rewardPeriodDays } = await adminDashboard(AS_OF);
      expect(rewardPeriodDays).toBe(120);
      // 120 days back reaches 17 November: Bruno's euro grant of 30 November is now in the period.
      expect(grants.find((row) => row.memberId === bruno.id)?.period).toEqual({
        grants: 2,
        amounts: [
          { amount: "10.50", currency: "EUR" },
          { amount: "25.00", currency: "USD" },
        ],
      });
    } finally {
      await saveSetting(null, "reward_program", SETTINGS.reward_program.defaults);
    }
  });
});

describe("first response per week", () => {
  it("gives each week's median and share within target, urgent and still-waiting threads included", async () => {
    const author = await makeMember();
    // The week of Monday 8 March.
    await askedThread(author, { askedAt: "2021-03-08T10:00:00Z", answeredAfter: 30 * 60 }); // hit
    await askedThread(author, { askedAt: "2021-03-09T10:00:00Z", answeredAfter: 2 * HOUR }); // hit
    await askedThread(author, { askedAt: "2021-03-10T10:00:00Z", answeredAfter: 3 * HOUR, urgent: true }); // miss: urgent target is 1 h
    await askedThread(author, { askedAt: "2021-03-11T10:00:00Z", answeredAfter: 30 * HOUR }); // miss
    await askedThread(author, { askedAt: "2021-03-12T10:00:00Z" }); // still waiting after 5 days: miss
    await askedThread(author, { askedAt: "2021-03-12T11:00:00Z", answeredAfter: 60, hidden: true }); // hidden: left out
    await askedThread(author, { askedAt: "2021-03-12T12:00:00Z", announcement: true }); // an announcement waits for nobody: left out
    await askedThread(author, { askedAt: "2021-03-12T13:00:00Z", answeredAfter: 60, announcement: true }); // left out too
    await askedThread(author, { askedAt: "2021-03-14T23:59:59Z", answeredAfter: HOUR }); // Sunday night: still this week; hit
    // The week of Monday 15 March, which AS_OF (Wednesday noon) is in.
    await askedThread(author, { askedAt: "2021-03-15T00:00:00Z", answeredAfter: HOUR, urgent: true }); // exactly on target: hit
    await askedThread(author, { askedAt: "2021-03-15T09:00:00Z", answeredAfter: 25 * HOUR }); // miss
    await askedThread(author, { askedAt: "2021-03-17T10:00:00Z", urgent: true }); // waiting 2 h, urgent: miss
    await askedThread(author, { askedAt: "2021-03-17T11:30:00Z", urgent: true }); // waiting 30 min: not counted yet
    await askedThread(author, { askedAt: "2021-03-16T13:00:00Z" }); // waiting 23 h: not counted yet
    // Outside the twelve weeks: the Sunday before the first, and after AS_OF.
    await askedThread(author, { askedAt: "2020-12-27T12:00:00Z", answeredAfter: HOUR });
    await askedThread(author, { askedAt: "2021-03-17T13:00:00Z", answeredAfter: HOUR });

    const weeks = weekStarts(AS_OF, 12);
    expect(weeks[0]).toBe("2020-12-28");
    expect(weeks[11]).toBe("2021-03-15");
    const expected: Record<string, WeeklyFirstResponse> = {
      "2021-03-08": {
        week: "2021-03-08",
        answered: 5,
        answeredWithinTarget: 3,
        waitingPastTarget: 1,
        waitingWithinTarget: 0,
        medianSeconds: 2 * HOUR, // of 30 min, 1 h, 2 h, 3 h, 30 h
        withinTargetShare: 3 / 6,
      },
      "2021-03-15": {
        week: "2021-03-15",
        answered: 2,
        answeredWithinTarget: 1,
        waitingPastTarget: 1,
        waitingWithinTarget: 2,
        medianSeconds: (HOUR + 25 * HOUR) / 2, // two answered: halfway between them
        withinTargetShare: 1 / 3,
      },
    };
    expect(await firstResponseByWeek(AS_OF)).toEqual(weeks.map((week) => expected[week] ?? { week, ...NO_RESPONSES }));
  });
});
