/** A positive page number from the query string; anything else is page 1. */
export function pageParam(url: URL, max = 100_000): number {
  const page = Number.parseInt(url.searchParams.get("page") ?? "1", 10);
  return Number.isFinite(page) && page >= 1 ? Math.min(page, max) : 1;
}

/**
 * The largest row id: ids are PostgreSQL integers (int4). A larger number names nothing, and
 * comparing one with an integer column fails in the database instead of finding no row.
 */
export const MAX_ID = 2_147_483_647;

/** A positive integer id from a route parameter, or null. */
export function idParam(value: string | undefined): number | null {
  if (!value || !/^\d{1,10}$/.test(value)) return null;
  const id = Number(value);
  return id > 0 && id <= MAX_ID ? id : null;
}

/**
 * PostgreSQL refuses the NUL character (U+0000) in text, so no stored name or slug holds one and
 * a NUL from the address can never match anything (forms refuse it in lib/forms.server.ts).
 */
export const NUL = "\0";

/** A text route parameter (a slug, a username), or null when it cannot name anything. */
export function textParam(value: string | undefined): string | null {
  return value && !value.includes(NUL) ? value : null;
}

/** Text from the query string, without NUL characters, trimmed and cut to `max`; "" when absent. */
export function queryText(url: URL, name: string, max: number): string {
  return (url.searchParams.get(name) ?? "").replaceAll(NUL, "").trim().slice(0, max);
}

export function withPage(url: URL, page: number): string {
  const next = new URLSearchParams(url.search);
  if (page > 1) next.set("page", String(page));
  else next.delete("page");
  const query = next.toString();
  return `${url.pathname}${query ? `?${query}` : ""}`;
}
