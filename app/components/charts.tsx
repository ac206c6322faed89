/**
 * Charts drawn on the server as inline SVG: no client script and no chart library. The page's CSP
 * forbids inline styles, so every look comes from classes in public/styles.css ("Charts").
 *
 * An SVG chart is one picture to assistive technology (role="img" with a title and a one-sentence
 * description); the numbers themselves belong in the table that goes with each chart
 * (ChartNumbers), where screen reader and keyboard users can read them cell by cell.
 */
import { type ReactNode, useId } from "react";

/** One column of a ColumnChart; `value` null (no data for that column) draws a dash. */
export interface Column {
  key: string;
  label: string;
  /** A second line under the label, such as the year under January. */
  sublabel?: string;
  /** The column's whole name when hovering it, where label and sublabel leave part out ("week of 21 Sept 2026"). */
  name?: string;
  value: number | null;
  /** The value as people read it, shown when hovering the column. */
  valueText: string;
}

/** Vertical columns over a category axis (months, weeks), with a value axis that includes zero. */
export function ColumnChart({
  title,
  description,
  columns,
  formatTick,
  domainMax,
}: {
  title: string;
  description: string;
  columns: Column[];
  formatTick: (value: number) => string;
  /** The top of the value axis at least, e.g. 1 for shares that run to 100 %. */
  domainMax?: number;
}) {
  const plot = { left: 72, right: 628, top: 14, bottom: 214 };
  const values = columns.flatMap((column) => (column.value === null ? [] : [column.value]));
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, domainMax ?? 0, ...values));
  const y = linearScale(ticks, plot.bottom, plot.top);
  const band = (plot.right - plot.left) / Math.max(1, columns.length);
  const barWidth = band * 0.62;
  return (
    <ChartSvg kind="columns" title={title} description={description} width={640} height={plot.bottom + 40}>
      <ValueGrid ticks={ticks} formatTick={formatTick} at={y} from={plot.left} to={plot.right} orientation="horizontal" />
      {columns.map((column, i) => {
        const center = plot.left + band * (i + 0.5);
        return (
          <g key={column.key}>
            {column.value === null ? (
              // Set apart from a true zero, which draws no column either.
              <text className="chart__label chart__label--minor" x={round(center)} y={round(y(0) - 6)} textAnchor="middle">
                –
              </text>
            ) : column.value === 0 ? null : (
              <rect
                className={column.value < 0 ? "chart__bar chart__bar--negative" : "chart__bar"}
                x={round(center - barWidth / 2)}
                y={round(Math.min(y(column.value), y(0)))}
                width={round(barWidth)}
                height={round(Math.abs(y(column.value) - y(0)))}
              >
                <title>{`${column.name ?? `${column.label}${column.sublabel ? ` ${column.sublabel}` : ""}`}: ${column.valueText}`}</title>
              </rect>
            )}
            <text className="chart__label" x={round(center)} y={plot.bottom + 18} textAnchor="middle">
              {column.label}
            </text>
            {column.sublabel ? (
              <text className="chart__label chart__label--minor" x={round(center)} y={plot.bottom + 34} textAnchor="middle">
                {column.sublabel}
              </text>
            ) : null}
          </g>
        );
      })}
    </ChartSvg>
  );
}

/** One row of a BarChart: a bar of `value`, with `part` of it (at most `value`) drawn darker. */
export interface Bar {
  key: string;
  label: string;
  value: number;
  part: number;
  valueText: string;
}

/**
 * Horizontal bars, one per named row (people's names read better across than under columns).
 * The darker `part` sits inside its bar: a subset, such as this period's share of all time.
 */
export function BarChart({
  title,
  description,
  bars,
  legend,
  formatTick,
}: {
  title: string;
  description: string;
  bars: Bar[];
  legend: { value: string; part: string };
  formatTick: (value: number) => string;
}) {
  const rowHeight = 28;
  const plot = { left: 156, right: 520, top: 40, bottom: 40 + rowHeight * bars.length };
  const ticks = niceTicks(0, Math.max(1, ...bars.map((bar) => bar.value)), { integers: true });
  const x = linearScale(ticks, plot.left, plot.right);
  const barHeight = rowHeight * 0.6;
  return (
    <ChartSvg kind="bars" title={title} description={description} width={640} height={plot.bottom + 30}>
      <g className="chart__legend">
        <rect className="chart__bar chart__bar--whole" x={plot.left} y={8} width={12} height={12} />
        <text className="chart__label" x={plot.left + 18} y={18}>
          {legend.value}
        </text>
        <rect className="chart__bar" x={plot.left + 140} y={8} width={12} height={12} />
        <text className="chart__label" x={plot.left + 158} y={18}>
          {legend.part}
        </text>
      </g>
      <ValueGrid ticks={ticks} formatTick={formatTick} at={x} from={plot.top} to={plot.bottom} orientation="vertical" />
      {bars.map((bar, i) => {
        const top = plot.top + rowHeight * i + (rowHeight - barHeight) / 2;
        const middle = round(top + barHeight / 2);
        return (
          <g key={bar.key}>
            <text className="chart__label" x={plot.left - 8} y={middle} textAnchor="end" dominantBaseline="middle">
              {truncate(bar.label, 20)}
            </text>
            <rect className="chart__bar chart__bar--whole" x={plot.left} y={round(top)} width={round(x(bar.value) - plot.left)} height={round(barHeight)}>
              <title>{`${bar.label}: ${bar.valueText}`}</title>
            </rect>
            {bar.part > 0 ? (
              <rect className="chart__bar" x={plot.left} y={round(top)} width={round(x(bar.part) - plot.left)} height={round(barHeight)}>
                <title>{`${bar.label}: ${bar.valueText}`}</title>
              </rect>
            ) : null}
            <text className="chart__label" x={round(x(bar.value) + 6)} y={middle} dominantBaseline="middle">
              {bar.valueText}
            </text>
          </g>
        );
      })}
    </ChartSvg>
  );
}

/** The table of a chart's numbers, folded under the chart so the page stays short. */
export function ChartNumbers({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <details className="chart-numbers">
      <summary>{`${caption}: the numbers`}</summary>
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        {children}
      </table>
    </details>
  );
}

function ChartSvg({ kind, title, description, width, height, children }: { kind: "columns" | "bars"; title: string; description: string; width: number; height: number; children: ReactNode }) {
  const id = useId();
  return (
    <svg className={`chart chart--${kind}`} viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}title ${id}desc`}>
      <title id={`${id}title`}>{title}</title>
      <desc id={`${id}desc`}>{description}</desc>
      {children}
    </svg>
  );
}

/** Grid lines with their tick labels; the zero line drawn as the axis. */
function ValueGrid({
  ticks,
  formatTick,
  at,
  from,
  to,
  orientation,
}: {
  ticks: number[];
  formatTick: (value: number) => string;
  at: (value: number) => number;
  from: number;
  to: number;
  orientation: "horizontal" | "vertical";
}) {
  return (
    <g>
      {ticks.map((tick) => {
        const position = round(at(tick));
        const className = tick === 0 ? "chart__axis" : "chart__grid";
        return orientation === "horizontal" ? (
          <g key={tick}>
            <line className={className} x1={from} x2={to} y1={position} y2={position} />
            <text className="chart__tick" x={from - 8} y={position} textAnchor="end" dominantBaseline="middle">
              {formatTick(tick)}
            </text>
          </g>
        ) : (
          <g key={tick}>
            <line className={className} x1={position} x2={position} y1={from} y2={to} />
            <text className="chart__tick" x={position} y={to + 18} textAnchor="middle">
              {formatTick(tick)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

/**
 * Round axis ticks from `min` to `max`: about five steps of 1, 2 or 5 times a power of ten,
 * reaching just past the data. `integers` keeps steps whole, for counts.
 */
export function niceTicks(min: number, max: number, { integers = false }: { integers?: boolean } = {}): number[] {
  if (max <= min) max = min + 1;
  const rough = (max - min) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(integers ? 1 : 0, [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough)!);
  const first = Math.floor(min / step);
  const last = Math.ceil(max / step);
  // Multiplying whole steps and rounding away float dust keeps 0.1 + 0.2 from showing up as a tick.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Array.from({ length: last - first + 1 }, (_, i) => Number(((first + i) * step).toFixed(decimals)));
}

/** Maps the ticks' range onto [start, end] in drawing units. */
function linearScale(ticks: number[], start: number, end: number): (value: number) => number {
  const low = ticks[0]!;
  const high = ticks[ticks.length - 1]!;
  return (value) => start + ((value - low) / (high - low)) * (end - start);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

// Formatters are made once per currency: building one costs more than formatting with it.
const tickFormats = new Map<string, Intl.NumberFormat>();

function tickFormat(currency: string): Intl.NumberFormat {
  let format = tickFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat("en", { style: "currency", currency, notation: "compact" });
    tickFormats.set(currency, format);
  }
  return format;
}

/** A short money figure for an axis: "$1.5K". */
export function formatMoneyTick(value: number, currency: string): string {
  return tickFormat(currency).format(value);
}

const PERCENT = new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 0 });

/** 0.756 → "76%". */
export function formatShare(share: number): string {
  return PERCENT.format(share);
}
