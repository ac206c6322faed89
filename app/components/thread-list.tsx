import { useLocation, useNavigate } from "@remix-run/react";
import { useCallback, type MouseEvent } from "react";
import { timeLabel } from "~/lib/dates";
import { withPage } from "~/lib/params";

/** Marks a plain link for Remix's route discovery, as a <Link> marks itself. */
export const DISCOVER = { "data-discover": "true" } as const;

/**
 * Client-side navigation for the links of a long list, from one click handler on the list: a
 * <Link> per item runs a set of router hooks on every render, a good share of a list page's
 * server time (the search page has sixty links). Put the handler on the list and use plain
 * anchors with absolute paths, marked with DISCOVER; clicks that ask for a new tab or window, a
 * download, another site or a place on this page are left to the browser.
 */
export function useFollowLinks(): (event: MouseEvent<HTMLElement>) => void {
  const navigate = useNavigate();
  return useCallback(
    (event: MouseEvent<HTMLElement>) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
      const anchor = event.target instanceof Element ? event.target.closest("a") : null;
      if (!anchor || !event.currentTarget.contains(anchor) || (anchor.target && anchor.target !== "_self") || anchor.hasAttribute("download")) return;
      const url = new URL(anchor.href);
      if (url.origin !== window.location.origin) return;
      // A link to a place on this page: the browser scrolls there.
      if (url.hash && url.pathname === window.location.pathname && url.search === window.location.search) return;
      event.preventDefault();
      navigate(`${url.pathname}${url.search}${url.hash}`);
    },
    [navigate],
  );
}

/** A date in UTC ("5 Sept 2026"), the same on server and browser so hydration agrees. */
export function Time({ value, withTime = false }: { value: string | Date; withTime?: boolean }) {
  const { iso, text } = timeLabel(value, withTime);
  return <time dateTime={iso}>{text}</time>;
}

/**
 * Previous / next links. By default they keep the current address and query (filters, search
 * words) and change only `page`. A page with two of them names each (`label`), so that a screen
 * reader's list of landmarks tells them apart.
 */
export function Pagination({ page, hasMore, pages, makeLink, label = "Pages" }: { page: number; hasMore?: boolean; pages?: number; makeLink?: (page: number) => string; label?: string }) {
  const location = useLocation();
  // Plain anchors followed from the nav (see useFollowLinks): two <Link>s cost a thread page more.
  const followLink = useFollowLinks();
  const linkTo = makeLink ?? ((n: number) => withPage(new URL(`${location.pathname}${location.search}`, "http://local"), n));
  const next = pages ? page < pages : hasMore;
  if (page <= 1 && !next) return null;
  return (
    <nav aria-label={label} className="pagination" onClick={followLink}>
      {page > 1 ? (
        <a href={linkTo(page - 1)} rel="prev" {...DISCOVER}>
          ← Previous
        </a>
      ) : null}
      <span>
        Page {page}
        {pages ? ` of ${pages}` : ""}
      </span>
      {next ? (
        <a href={linkTo(page + 1)} rel="next" {...DISCOVER}>
          Next →
        </a>
      ) : null}
    </nav>
  );
}
