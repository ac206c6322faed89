import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type RequestHandler } from "express";
import { isCrossSiteWrite } from "~/auth/origin";
import { hasSession, readSession } from "~/auth/session.server";
import { queryCounter } from "~db/client";
import { loggableError } from "~/lib/loggable-error.server";
import { anonymousPageCache } from "./page-cache";
import { securityHeaders } from "./security-headers";
import type { TrustProxy } from "./trust-proxy";

export interface AppOptions {
  build: ServerBuild;
  /** The project folder, where public/ lives. */
  root: string;
  mode: "production" | "development";
  /** The forum's public address (PUBLIC_URL); when unset, the request's own Host is trusted. */
  publicUrl?: string;
  /** Which proxies may name the client's address (see trust-proxy.ts). */
  trustProxy?: TrustProxy;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /** Send X-SQL-Queries on pages: how many SQL statements rendering them took (for benchmarks). */
  reportQueryCounts?: boolean;
  /** How long public pages are kept for visitors who are not signed in (see page-cache.ts); 0 or unset: not kept. */
  pageCacheSeconds?: number;
}

export function createApp(options: AppOptions): express.Express {
  const { build, root, mode } = options;
  const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : undefined;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", options.trustProxy ?? false);
  app.use(compression());
  app.use(securityHeaders({ development: mode === "development", https: publicOrigin?.startsWith("https:") ?? false }));

  serveStaticFiles(app, path.join(root, "public"), mode);

  if (options.reportQueryCounts) app.use(countQueries);
  app.use(rejectCrossSiteWrites(publicOrigin));
  app.use(limitBodySize(options.maxBodyBytes ?? 1024 * 1024));
  if (options.pageCacheSeconds) {
    const signedIn = (res: express.Response) => res.locals.member != null;
    app.use(anonymousPageCache({ seconds: options.pageCacheSeconds, hasSession, signedIn, reportQueryCounts: options.reportQueryCounts }));
  }

  app.all(
    "*",
    createRequestHandler({
      build,
      mode,
      async getLoadContext(req, res) {
        const session = await readSession(req.headers.cookie);
        if (session.setCookie) res.append("Set-Cookie", session.setCookie);
        // For the page cache, which drops its copies after a member's write.
        res.locals.member = session.member;
        return {
          member: session.member,
          sessionId: session.sessionId,
          clientIp: req.ip ?? "unknown",
          cspNonce: res.locals.cspNonce as string,
          queryTally: res.locals.queryTally as { queries: number } | undefined,
          // Single fetch asks for a client navigation's data at the page's path plus ".data".
          markupFragments: req.path.endsWith(".data") ? null : new Map(),
        };
      },
    }),
  );
  // What fails before Remix answers (the session look-up, say) is logged as loggableError allows,
  // never with the values of a failed query: the session id among them would sign anyone in.
  // (Express's own handler would log the error whole.) Four parameters make it an error handler.
  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // Express marks what the request got wrong with its 4xx status (an address with a broken
    // "%" escape is a 400): an answer to the visitor, not a failure to log.
    const status = clientErrorStatus(error);
    if (status === null) console.error(loggableError(error));
    if (res.headersSent) res.end();
    else if (status !== null) res.status(status).type("text/plain").send("HostHelp could not read this request: check the address.");
    else res.status(500).type("text/plain").send("HostHelp could not answer just now. Please try again in a minute.");
  });
  return app;
}

function clientErrorStatus(error: unknown): number | null {
  const status = error instanceof Error && "status" in error ? error.status : undefined;
  return typeof status === "number" && status >= 400 && status < 500 ? status : null;
}

/**
 * Fingerprinted build assets never change; everything else in public/ may. In production only
 * the paths public/ holds at start are looked up on disk: a catch-all static handler would stat
 * the filesystem for every page request before Remix answers it.
 */
function serveStaticFiles(app: express.Express, publicDir: string, mode: AppOptions["mode"]): void {
  app.use("/build", express.static(path.join(publicDir, "build"), { immutable: true, maxAge: "1y" }));
  if (mode === "development") {
    // Files come and go while developing.
    app.use(express.static(publicDir, { maxAge: "1h" }));
    return;
  }
  if (!existsSync(publicDir)) return;
  const files = express.static(publicDir, { maxAge: "1h" });
  for (const entry of readdirSync(publicDir, { withFileTypes: true })) {
    if (entry.name === "build") continue;
    const urlPath = `/${encodeURIComponent(entry.name)}`;
    if (entry.isDirectory()) app.use(urlPath, express.static(path.join(publicDir, entry.name), { maxAge: "1h" }));
    else app.get(urlPath, files);
  }
}

const countQueries: RequestHandler = (_req, res, next) => {
  const tally = { queries: 0 };
  res.locals.queryTally = tally;
  queryCounter().run(tally, next);
};

function rejectCrossSiteWrites(publicOrigin: string | undefined): RequestHandler {
  return (req, res, next) => {
    const expectedOrigin = publicOrigin ?? `${req.protocol}://${req.get("host")}`;
    const crossSite = isCrossSiteWrite(
      {
        method: req.method,
        origin: req.get("origin"),
        referer: req.get("referer"),
        secFetchSite: req.get("sec-fetch-site"),
      },
      expectedOrigin,
    );
    if (!crossSite) return next();
    res.status(403).type("text/plain").send("Forbidden: this request came from another site. Submit the form from HostHelp itself.");
  };
}

/**
 * Refuses a body over `maxBytes` before anything reads it. A body sent without its length (chunked)
 * could not be judged until it had been read whole, so it is refused too: browsers send the
 * length of every form and fetch body this forum takes.
 */
function limitBodySize(maxBytes: number): RequestHandler {
  return (req, res, next) => {
    if (req.get("transfer-encoding") !== undefined && req.get("content-length") === undefined) {
      res.status(411).type("text/plain").send("Send the request with its Content-Length.");
      return;
    }
    const length = Number(req.get("content-length") ?? 0);
    if (length <= maxBytes) return next();
    res.status(413).type("text/plain").send(`Request too large: the limit is ${Math.floor(maxBytes / 1024)} KiB.`);
  };
}

