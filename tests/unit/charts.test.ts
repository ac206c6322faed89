/**
 * The dashboard's drawing and calendar rules without a database: axis ticks, exact money, the
 * SVG's accessible name and the absence of inline styles (the CSP forbids them), and the month
 * and week starts the figures are laid out on.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { BarChart, ColumnChart, formatMoneyTick, formatShare, niceTicks } from "~/components/charts";
import { formatMoney } from "~/lib/money";
import { monthStarts, weekStarts } from "~/models/dashboard.server";

describe("niceTicks", () => {
  it("steps by 1, 2 or 5 times a power of ten from zero to just past the data", () => {
    expect(niceTicks(0, 7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(-15, 1234.56)).toEqual([-500, 0, 500, 1000, 1500]);
  });

  it("keeps counts whole and gives an empty range an axis", () => {
    expect(niceTicks(0, 2, { integers: true })).toEqual([0, 1, 2]);
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});

describe("number formats", () => {
  it("formats money from the database's exact decimal text, without float rounding", () => {
    expect(formatMoney("12345678901234.99", "USD")).toBe("12,345,678,901,234.99 USD");
    expect(formatMoney("-40", "USD")).toBe("−40.00 USD");
    expect(formatMoney("10.5", "EUR")).toBe("10.50 EUR");
  });

  it("shortens money on an axis", () => {
    expect(formatMoneyTick(1500, "USD")).toBe("$1.5K");
  });

  it("shows shares as whole percents", () => {
    expect(formatShare(1 / 3)).toBe("33%");
  });
});

describe("charts", () => {
  const columns = [
    { key: "a", label: "Jan", sublabel: "2021", value: 25, valueText: "$25.00" },
    { key: "b", label: "Feb", value: null, valueText: "no data" },
    { key: "c", label: "Mar", name: "March 2021", value: -15, valueText: "-$15.00" },
    { key: "d", label: "Apr", value: 0, valueText: "$0.00" },
  ];

  it("draws an image named by its title and description, with no inline styles", () => {
    const svg = renderToStaticMarkup(createElement(ColumnChart, { title: "Spend", description: "Per month.", columns, formatTick: String }));
    const labelledBy = svg.match(/role="img" aria-labelledby="([^"]+)"/)?.[1]?.split(" ") ?? [];
    expect(labelledBy).toHaveLength(2);
    expect(svg).toContain(`<title id="${labelledBy[0]}">Spend</title>`);
    expect(svg).toContain(`<desc id="${labelledBy[1]}">Per month.</desc>`);
    expect(svg).not.toContain("style=");
  });

  it("draws a column for each figure, below the axis when negative, and a dash where there is none", () => {
    const svg = renderToStaticMarkup(createElement(ColumnChart, { title: "Spend", description: "Per month.", columns, formatTick: String }));
    expect(svg.match(/<rect class="chart__bar"/g)).toHaveLength(1);
    expect(svg.match(/<rect class="chart__bar chart__bar--negative"/g)).toHaveLength(1);
    expect(svg).toContain("<title>Jan 2021: $25.00</title>");
    // A column's whole name, where the label shows only part of it.
    expect(svg).toContain("<title>March 2021: -$15.00</title>");
    expect(svg).toMatch(/>–<\/text>/);
  });

  it("draws the part of each bar inside it, and shortens long names", () => {
    const bars = [{ key: "1", label: "a_moderator_with_a_long_name", value: 5, part: 2, valueText: "5 (2 in period)" }];
    const svg = renderToStaticMarkup(createElement(BarChart, { title: "Grants", description: "Each.", bars, legend: { value: "All time", part: "Last 90 days" }, formatTick: String }));
    const widths = [...svg.matchAll(/<rect class="chart__bar( chart__bar--whole)?" x="156" y="[\d.]+" width="([\d.]+)" height="[\d.]+"><title>/g)].map((m) => Number(m[2]));
    expect(widths).toHaveLength(2);
    expect(widths[1]! / widths[0]!).toBeCloseTo(2 / 5);
    expect(svg).toContain("a_moderator_with_a_…");
    expect(svg).toContain("<title>a_moderator_with_a_long_name: 5 (2 in period)</title>");
  });
});

describe("the dashboard's calendar", () => {
  it("lays months out in UTC across a year's end", () => {
    expect(monthStarts(new Date("2021-01-15T00:30:00Z"), 3)).toEqual(["2020-11-01", "2020-12-01", "2021-01-01"]);
  });

  it("starts weeks on Monday, as PostgreSQL's date_trunc('week') does", () => {
    expect(weekStarts(new Date("2021-03-14T23:59:59Z"), 2)).toEqual(["2021-03-01", "2021-03-08"]); // a Sunday
    expect(weekStarts(new Date("2021-03-15T00:00:00Z"), 1)).toEqual(["2021-03-15"]); // a Monday
  });
});
