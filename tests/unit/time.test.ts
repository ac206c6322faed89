/**
 * Dates as the pages print them: in UTC, with the same words on the server and in any browser,
 * whatever locale data either has, so that hydration never finds different text.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Time } from "~/components/time";
import { dayAndMonth, monthAndYear, monthLabels, shortMonth } from "~/lib/dates";

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

  it("labels a run of weeks with their months, never two side by side", () => {
    // Mondays across a year's end: the months under the first week of each, the years with the first and with January.
    const weeks = ["2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14", "2026-12-21", "2026-12-28", "2027-01-04"];
    expect(monthLabels(weeks)).toEqual(["Oct 2026", undefined, undefined, "Nov", undefined, undefined, undefined, undefined, "Dec", undefined, undefined, undefined, "Jan 2027"]);
    // A first week that is its month's last leaves the label to the next, which then carries the year.
    expect(monthLabels(["2026-09-28", "2026-10-05", "2026-10-12"])).toEqual([undefined, "Oct 2026", undefined]);
    expect(monthLabels(["2026-09-28"])).toEqual(["Sept 2026"]);
  });
});
