/**
 * Dates as the pages print them: in UTC, with the same words on the server and in any browser,
 * whatever locale data either has, so that hydration never finds different text.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Time } from "~/components/thread-list";
import { dayAndMonth, monthAndYear, shortMonth } from "~/lib/dates";

const render = (value: string | Date, withTime = false) => renderToStaticMarkup(createElement(Time, { value, withTime }));

describe("Time", () => {
  it("prints the day, the short month and the year in UTC", () => {
    expect(render("2026-09-05T10:00:00Z")).toBe('<time dateTime="2026-09-05T10:00:00.000Z">5 Sept 2026</time>');
    expect(render(new Date("2025-12-31T23:59:59Z"))).toBe('<time dateTime="2025-12-31T23:59:59.000Z">31 Dec 2025</time>');
    // Just past midnight in UTC is still the new day, wherever the server runs.
    expect(render("2026-03-01T00:00:01+00:00")).toContain(">1 Mar 2026<");
  });

  it("names every month", () => {
    const names = Array.from({ length: 12 }, (_, month) => /> ?\d+ (\S+) 2026</.exec(render(new Date(Date.UTC(2026, month, 15))))?.[1]);
    expect(names).toEqual(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]);
  });

  it("adds the time of day in UTC when asked", () => {
    expect(render("2026-11-30T09:05:00Z", true)).toBe('<time dateTime="2026-11-30T09:05:00.000Z">2026-11-30 09:05 UTC</time>');
  });
});

describe("dates in words, for the dashboard's charts and headings", () => {
  it("spells every month, short and in full, in UTC", () => {
    const months = Array.from({ length: 12 }, (_, month) => new Date(Date.UTC(2026, month, 1)));
    expect(months.map(shortMonth)).toEqual(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]);
    expect(months.map(monthAndYear).slice(7, 10)).toEqual(["August 2026", "September 2026", "October 2026"]);
    expect(dayAndMonth(new Date("2026-09-07T00:00:00Z"))).toBe("7 Sept");
    // The first second of a month is that month, wherever the server runs.
    expect(monthAndYear(new Date("2027-01-01T00:00:00Z"))).toBe("January 2027");
  });
});
