/**
 * The server matches routes through @remix-run/router's CommonJS build, patched at install time
 * (.patches/, applied by `postinstall`) to flatten a route tree and compile its patterns once
 * instead of on every match, and to skip the branches whose first segment a path does not start
 * with. These tests hold the patched matcher to the router's own rules.
 * Two more patches keep that cache useful: Remix's RemixServer and react-router-dom's static
 * router build their route trees once per build instead of once per request.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type * as Router from "@remix-run/router";
import type * as StaticRouter from "react-router-dom/server";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
// The server's copy: Node loads the CommonJS build, which is the one the patch changes.
const routerPath = require.resolve("@remix-run/router");
const { matchRoutes, matchPath } = require(routerPath) as typeof Router;

type Route = Router.AgnosticRouteObject;

function forumRoutes(): Route[] {
  return [
    {
      id: "root",
      path: "",
      children: [
        { id: "home", index: true },
        { id: "thread-index", path: "t/:id" },
        { id: "thread", path: "t/:id/:slug" },
        { id: "category", path: "c/:slug" },
        { id: "search", path: "search" },
        { id: "admin", path: "admin", children: [{ id: "admin-home", index: true }, { id: "admin-members", path: "members" }] },
        { id: "Exact", path: "Exact", caseSensitive: true },
        { id: "catch-all", path: "*" },
      ],
    },
  ];
}

const matchedIds = (routes: Route[], pathname: string) => matchRoutes(routes, pathname)?.map((m) => m.route.id) ?? null;

describe("route matching (patched router)", () => {
  it("is the patched build", () => {
    expect(readFileSync(routerPath, "utf8")).toContain("rankedBranchesCache");
  });

  it("ranks static segments over dynamic ones and dynamic over the splat, on every call", () => {
    const routes = forumRoutes();
    for (let round = 0; round < 3; round++) {
      expect(matchedIds(routes, "/")).toEqual(["root", "home"]);
      expect(matchedIds(routes, "/search")).toEqual(["root", "search"]);
      expect(matchedIds(routes, "/t/42")).toEqual(["root", "thread-index"]);
      expect(matchedIds(routes, "/t/42/how-to-set-mx")).toEqual(["root", "thread"]);
      expect(matchedIds(routes, "/admin")).toEqual(["root", "admin", "admin-home"]);
      expect(matchedIds(routes, "/admin/members")).toEqual(["root", "admin", "admin-members"]);
      expect(matchedIds(routes, "/t/42/slug/extra")).toEqual(["root", "catch-all"]);
    }
  });

  it("gives each match its own params, decoded", () => {
    const routes = forumRoutes();
    const first = matchRoutes(routes, "/t/7/%C5%82%C3%B3d%C5%BA")!;
    const second = matchRoutes(routes, "/t/8/other")!;
    expect(first.at(-1)!.params).toEqual({ id: "7", slug: "łódź" });
    expect(second.at(-1)!.params).toEqual({ id: "8", slug: "other" });
  });

  it("keeps case sensitivity apart for the same path", () => {
    const routes = forumRoutes();
    expect(matchedIds(routes, "/Exact")).toEqual(["root", "Exact"]);
    expect(matchedIds(routes, "/exact")).toEqual(["root", "catch-all"]);
    expect(matchPath({ path: "/search", caseSensitive: false, end: true }, "/SEARCH")).not.toBeNull();
    expect(matchPath({ path: "/search", caseSensitive: true, end: true }, "/SEARCH")).toBeNull();
    expect(matchPath({ path: "/search", caseSensitive: true, end: false }, "/search/more")).not.toBeNull();
    expect(matchPath({ path: "/search", caseSensitive: true, end: true }, "/search/more")).toBeNull();
  });

  it("sees routes added to a tree it has already matched", () => {
    const routes = forumRoutes();
    expect(matchedIds(routes, "/u/ada")).toEqual(["root", "catch-all"]);
    (routes[0]!.children as Route[]).push({ id: "profile", path: "u/:username" });
    expect(matchedIds(routes, "/u/ada")).toEqual(["root", "profile"]);
  });

  it("agrees with the unpatched router on every path, whatever its first segment", async () => {
    // The ES module build is the router as published: the patch changes only the CommonJS one.
    const upstream = (await import(pathToFileURL(path.join(path.dirname(routerPath), "router.js")).href)) as typeof Router;
    const routes = [
      ...forumRoutes(),
      { id: "sitemap", path: "sitemap.xml" },
      { id: "user", path: ":lang?/u/:name" },
      { id: "docs", path: "Docs/*", caseSensitive: true },
    ];
    const paths = ["/", "/search", "/SEARCH", "/Search/", "/%73earch", "//search", "/search/x", "/searches", "/t", "/t/1", "/T/1/Slug",
      "/admin", "/ADMIN/Members", "/admin/other", "/Exact", "/exact", "/sitemap.xml", "/Sitemap.XML", "/sitemapxxml", "/pl/u/ada",
      "/u/ada", "/Docs/a/b", "/docs/a", "/ł/ó", "/%C5%81/x", "/\u212Aey", "/\u017Fearch", "search", ""];
    for (const basename of [undefined, "/forum"]) {
      for (const pathname of basename ? [...paths, ...paths.map((p) => `${basename}${p}`)] : paths) {
        const ours = matchRoutes(routes, pathname, basename)?.map((m) => [m.route.id, m.params, m.pathname, m.pathnameBase]) ?? null;
        const theirs = upstream.matchRoutes(routes, pathname, basename)?.map((m) => [m.route.id, m.params, m.pathname, m.pathnameBase]) ?? null;
        expect(ours, `${basename ?? ""} ${pathname}`).toEqual(theirs);
      }
    }
  });

  it("matches a tree with the same shape but other route objects to those objects", () => {
    const a = forumRoutes();
    const b = forumRoutes();
    expect(matchRoutes(a, "/search")!.at(-1)!.route).toBe(a[0]!.children?.[4]);
    expect(matchRoutes(b, "/search")!.at(-1)!.route).toBe(b[0]!.children?.[4]);
  });
});

describe("the static router (patched react-router-dom)", () => {
  const { createStaticHandler, createStaticRouter } = require("react-router-dom/server") as typeof StaticRouter;

  async function render(routes: Route[], path: string) {
    const context = await createStaticHandler(routes as never).query(new Request(`http://localhost${path}`));
    if (context instanceof Response) throw new Error(`${path} answered ${context.status}`);
    return createStaticRouter(routes as never, context);
  }

  it("is handed one route tree per build by the patched RemixServer", () => {
    expect(readFileSync(require.resolve("@remix-run/react/dist/server.js"), "utf8")).toContain("serverRoutesFor(manifest, routeModules");
  });

  it("builds its data routes once per route tree, and gives every request its own matches", async () => {
    const routes = forumRoutes();
    const thread = await render(routes, "/t/42/how-to-set-mx");
    const admin = await render(routes, "/admin/members");
    expect(admin.routes).toBe(thread.routes);
    expect(thread.state.matches.map((m) => [m.route.id, m.params])).toEqual([
      ["root", { id: "42", slug: "how-to-set-mx" }],
      ["thread", { id: "42", slug: "how-to-set-mx" }],
    ]);
    expect(admin.state.matches.map((m) => m.route.id)).toEqual(["root", "admin", "admin-members"]);
    // The matches point into the shared data routes, as the router's own would.
    expect(admin.state.matches.at(-1)!.route).toBe(admin.routes[0]!.children![5]!.children![1]);
    expect((await render(forumRoutes(), "/search")).routes).not.toBe(thread.routes);
  });
});
