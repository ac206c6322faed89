import { useNavigate } from "@remix-run/react";
import { useCallback, type MouseEvent } from "react";

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
