/** A positive page number from the query string; anything else is page 1. */
export function pageParam(url: URL, max = 100_000): number {
  const page = Number.parseInt(url.searchParams.get("page") ?? "1", 10);
  return Number.isFinite(page) && page >= 1 ? Math.min(page, max) : 1;
}

/** A positive integer id from a route parameter, or null. */
export function idParam(value: string | undefined): number | null {
  if (!value || !/^\d{1,9}$/.test(value)) return null;
  const id = Number(value);
  return id > 0 ? id : null;
}

export function withPage(url: URL, page: number): string {
  const next = new URLSearchParams(url.search);
  if (page > 1) next.set("page", String(page));
  else next.delete("page");
  const query = next.toString();
  return `${url.pathname}${query ? `?${query}` : ""}`;
}
