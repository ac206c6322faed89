/**
 * The real web stack in the test process: the production Remix build (from `npm run build`)
 * behind the same Express app the server runs, listening on a free port on 127.0.0.1.
 */
import type { AddressInfo } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { createApp } from "~/server/app";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface TestApp {
  origin: string;
  close(): Promise<void>;
}

/** `pageCacheSeconds`: as on a real server (see page-cache.ts); off unless given, since most tests write behind the server's back. */
export async function startTestApp({ pageCacheSeconds = 0 }: { pageCacheSeconds?: number } = {}): Promise<TestApp> {
  const buildPath = pathToFileURL(`${root}build/index.js`).href;
  const build = (await import(/* @vite-ignore */ buildPath)) as ServerBuild;
  // Loopback is trusted as a proxy so each test can present its own client address (X-Forwarded-For).
  const app = createApp({ build, root, mode: "production", trustProxy: "loopback", reportQueryCounts: true, pageCacheSeconds });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let ipCounter = Math.floor(Math.random() * 200);

/**
 * A visitor with a cookie jar, like one browser tab with JavaScript off. Each visitor has its own
 * client address so that per-address rate limits of one test do not touch another.
 */
export class Visitor {
  readonly cookies = new Map<string, string>();
  readonly ip = `10.${process.pid % 250}.${(ipCounter = (ipCounter + 1) % 250)}.${Math.floor(Math.random() * 250)}`;

  constructor(readonly app: TestApp) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request("GET", path, undefined, headers);
  }

  /** Submits a form as a browser on our own pages would: same Origin, urlencoded body. */
  async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.request("POST", path, new URLSearchParams(fields).toString(), {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: this.app.origin,
      ...headers,
    });
  }

  async request(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Response> {
    const response = await fetch(`${this.app.origin}${path}`, {
      method,
      body,
      redirect: "manual",
      headers: {
        "X-Forwarded-For": this.ip,
        Cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "),
        ...headers,
      },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(";");
      const [name, value] = pair!.split("=");
      if (!value || /max-age=0/i.test(header)) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value.trim());
    }
    return response;
  }

  /** The visible text of a page: tags dropped, entities of interest decoded. */
  async text(response: Response): Promise<string> {
    return htmlToText(await response.text());
  }
}

export function htmlToText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}
