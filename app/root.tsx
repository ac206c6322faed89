import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import { type ReactNode, useEffect, useRef } from "react";
import { useNonce } from "~/components/nonce";
import { noticeText } from "~/lib/notices";
import { unreadCount } from "~/models/notifications.server";
import { can, isSuspended, SUSPENDED_MESSAGE } from "~/models/permissions";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/styles.css" },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "HostHelp" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const member = context.member;
  return { member, unread: member ? await unreadCount(member.id) : 0 };
}

export function useCurrentMember() {
  return useRouteLoaderData<typeof loader>("root")?.member ?? null;
}

function useUnreadCount() {
  return useRouteLoaderData<typeof loader>("root")?.unread ?? 0;
}

function SiteHeader() {
  const member = useCurrentMember();
  const unread = useUnreadCount();
  const location = useLocation();
  const [params] = useSearchParams();
  const here = location.pathname === "/login" ? "/" : `${location.pathname}${location.search}`;
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to="/" className="site-name">
          HostHelp
        </Link>
        <form method="get" action="/search" role="search" aria-label="Site search" className="site-search">
          <label htmlFor="site-search-q" className="visually-hidden">
            Search the forum
          </label>
          <input id="site-search-q" type="search" name="q" placeholder="Search…" defaultValue={location.pathname === "/search" ? params.get("q") ?? "" : ""} />
          <button type="submit">Search</button>
        </form>
        <nav aria-label="Forum" className="site-nav">
          <NavLink to="/unanswered">Unanswered</NavLink>
          <NavLink to="/leaderboard">Leaderboard</NavLink>
          <NavLink to="/ask" className="button button--small">
            Ask
          </NavLink>
        </nav>
        <nav aria-label="Account" className="site-account">
          {member ? (
            <>
              <Link to="/notifications" className="notifications-link" aria-label={unread > 0 ? `Notifications, ${unread} unread` : undefined}>
                Notifications{unread > 0 ? <span className="count"> ({unread})</span> : null}
              </Link>
              <AccountMenu username={member.username}>
                <li>
                  <Link to={`/u/${member.username}`}>Your profile</Link>
                </li>
                <li>
                  <Link to="/account">Account</Link>
                </li>
                {can(member, "thread:moderate") ? (
                  <li>
                    <Link to="/mod">Moderation</Link>
                  </li>
                ) : null}
                {can(member, "admin:view") ? (
                  <li>
                    <Link to="/admin">Admin</Link>
                  </li>
                ) : null}
                <li>
                  <Form method="post" action="/logout" className="inline-form">
                    <button type="submit" className="link-button">
                      Sign out
                    </button>
                  </Form>
                </li>
              </AccountMenu>
            </>
          ) : (
            <>
              <Link to={`/login?redirectTo=${encodeURIComponent(here)}`}>Sign in</Link>
              <Link to="/signup" className="button">
                Sign up
              </Link>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}

/**
 * The signed-in member's links under their name: a disclosure that opens without JavaScript. With
 * it, the menu also closes as a menu should: when focus or a tap goes elsewhere, on Escape from
 * inside it (focus back on the name), and after following one of its links.
 */
function AccountMenu({ username, children }: { username: string; children: ReactNode }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const location = useLocation();
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [location.key]);
  useEffect(() => {
    const outside = (target: EventTarget | null) => !(target instanceof Node && menu.current?.contains(target));
    const onPointerDown = (event: PointerEvent) => {
      if (menu.current?.open && outside(event.target)) menu.current.open = false;
    };
    const onFocusIn = (event: FocusEvent) => {
      if (menu.current?.open && outside(event.target)) menu.current.open = false;
    };
    const onKeyDown = (event: KeyboardEvent) => {
      const details = menu.current;
      if (event.key !== "Escape" || event.defaultPrevented || !details?.open || outside(document.activeElement)) return;
      details.open = false;
      details.querySelector("summary")?.focus();
    };
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("focusin", onFocusIn);
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      document.removeEventListener("focusin", onFocusIn);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, []);
  return (
    <details className="account-menu" ref={menu}>
      <summary>{username}</summary>
      <ul>{children}</ul>
    </details>
  );
}

function Notice() {
  const [params] = useSearchParams();
  const member = useCurrentMember();
  const text = noticeText(params.get("notice"));
  if (member && isSuspended(member)) {
    return (
      <p className="notice notice--warning" role="status">
        {SUSPENDED_MESSAGE} See <Link to={`/u/${member.username}`}>your profile</Link> for how long and why.
      </p>
    );
  }
  if (!text) return null;
  return (
    <p className="notice" role="status">
      {text}
    </p>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/**
 * After a form post that comes back with errors, puts the keyboard on the first field marked
 * invalid: the submit button (disabled while posting) no longer holds focus, and a screen reader
 * then reads that field's label and error. One place for every form on every page.
 */
function useFocusFirstInvalidField() {
  const navigation = useNavigation();
  const submitted = useRef(false);
  useEffect(() => {
    if (navigation.state === "submitting") submitted.current = true;
    else if (navigation.state === "idle" && submitted.current) {
      submitted.current = false;
      document.querySelector<HTMLElement>('main [aria-invalid="true"]')?.focus();
    }
  }, [navigation.state]);
}

export default function App() {
  useFocusFirstInvalidField();
  return (
    <>
      <SiteHeader />
      <main id="main" className="page">
        <Notice />
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>HostHelp: customers helping customers, with the host's moderators.</p>
      </footer>
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <>
      <SiteHeader />
      <main id="main" className="page">
        <h1>{notFound ? "Page not found" : status < 500 ? "That did not work" : "Something went wrong"}</h1>
        {notFound ? (
          <p>There is nothing at this address. It may have moved, or the link may be mistyped.</p>
        ) : isRouteErrorResponse(error) && status < 500 ? (
          <p>{typeof error.data === "string" ? error.data : "The request could not be completed."}</p>
        ) : (
          <p>The error has been logged. Please try again in a moment.</p>
        )}
        <p>
          <Link to="/">Go to the latest questions</Link>
        </p>
      </main>
    </>
  );
}
