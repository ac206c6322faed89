/**
 * The server renders pages with react-dom/server for Node, patched at install time
 * (.patches/react-dom+18.3.1.patch) so that its writer gathers a flush's chunks as one string
 * instead of encoding each small string into a 2 KB byte buffer. The unpatched writer sent a
 * buffer's unwritten zero bytes whenever a multi-byte character did not fit at its end
 * (react/react#31134). These tests hold the patched writer to what React's string renderer
 * (renderToString, a build the patch leaves alone) produces, byte for byte.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { Writable } from "node:stream";
import { createElement as h, Suspense, type ReactNode } from "react";
import type * as ReactDOMServer from "react-dom/server";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
// Loaded by path: the package's exports pick a build by NODE_ENV, and tests run in development.
const builds = path.join(path.dirname(require.resolve("react-dom/package.json")), "cjs");
const { renderToString } = require(path.join(builds, "react-dom-server-legacy.node.production.min.js")) as typeof ReactDOMServer;

type RenderToPipeableStream = typeof ReactDOMServer.renderToPipeableStream;

/** Renders to a destination that keeps each write apart; `onWrite` hears of each as it arrives. */
function renderStream(render: RenderToPipeableStream, element: ReactNode, onWrite?: (count: number) => void): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const writes: Buffer[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        writes.push(chunk);
        onWrite?.(writes.length);
        done();
      },
    });
    destination.on("finish", () => resolve(writes));
    const stream = render(element, { onShellReady: () => stream.pipe(destination), onShellError: reject, onError: reject });
  });
}

const asText = (writes: Buffer[]) => Buffer.concat(writes).toString("utf8");

const TEXTS = [
  "Plain ASCII: how do I point my domain's MX record at the new host?",
  "Polish: Poczta nie działa po zmianie rekordów MX, żółć, Łódź",
  "Turkish: İstanbul'daki sunucuda SSL sertifikası yenilenmiyor (ı, ş, ğ)",
  "Icelandic: Tölvupósturinn virkar ekki, þú og ég, Ð ð Æ æ",
  "Bengali: ডোমেইন ট্রান্সফার কীভাবে করব?",
  "Outside the BMP: 🚀 emoji 👩‍💻 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
  "Escaped: <script>alert(1)</script> & \"quotes\" 'apostrophes'",
];

function Thread({ posts }: { posts: number }) {
  return h(
    "main",
    { className: "thread", "data-title": 'Tölvupóstur & <DNS> "quoted"' },
    h("h1", null, "A thread with ", posts, " posts"),
    Array.from({ length: posts }, (_, i) =>
      h("article", { key: i, id: `post-${i}`, "aria-label": `Answer ${i} by żaneta` }, h("p", null, TEXTS[i % TEXTS.length], " #", i), h("a", { href: `/u/user-${i}?q=ü&x=1` }, "user-", i)),
    ),
    // A text longer than the old writer's buffer, which it encoded apart.
    h("pre", null, "ডোমেইন ".repeat(800)),
  );
}

/**
 * About 1,850 bytes of ASCII, then `offset` more, then a run of 3- and 4-byte characters: over
 * offsets 0 to 23 the old writer's 2 KB buffer ends at every byte of that run's 24-byte cycle.
 */
function BufferEnd({ offset }: { offset: number }) {
  const filler = "a".repeat(600);
  return h("div", null, h("p", null, filler), h("p", null, filler), h("p", null, filler), h("p", null, "a".repeat(offset)), h("p", null, "ডোমেইন 📬 ".repeat(20)));
}

// The production build the server runs, and the development build `npm run dev` runs.
describe.each(["production.min", "development"])("React's server writer (patched), %s build", (build) => {
  const render = (require(path.join(builds, `react-dom-server.node.${build}.js`)) as typeof ReactDOMServer).renderToPipeableStream;

  it("writes the same bytes as React's string renderer, in any script", async () => {
    const html = asText(await renderStream(render, h(Thread, { posts: 60 })));
    expect(Buffer.byteLength(html)).toBeGreaterThan(20_000);
    expect(html).toBe(renderToString(h(Thread, { posts: 60 })));
    for (const text of TEXTS.filter((text) => !/['"<>&]/.test(text))) expect(html).toContain(text);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("sends no NUL bytes wherever the old 2 KB buffer would have ended inside a character", async () => {
    for (let offset = 0; offset < 24; offset++) {
      const html = asText(await renderStream(render, h(BufferEnd, { offset })));
      expect(html, `offset ${offset}`).not.toContain("\0");
      expect(html, `offset ${offset}`).toBe(renderToString(h(BufferEnd, { offset })));
    }
  });

  it("writes a page that is ready at once in a single write, not one per 2 KB", async () => {
    expect(await renderStream(render, h(Thread, { posts: 60 }))).toHaveLength(1);
  });

  it("still streams: a boundary that resolves after the first write arrives in a write of its own", async () => {
    let resolveAnswer!: () => void;
    const answerReady = new Promise<void>((resolve) => (resolveAnswer = resolve));
    let ready = false;
    void answerReady.then(() => (ready = true));
    function LateAnswer(): ReactNode {
      if (!ready) throw answerReady;
      return h("p", null, "Accepted: set the MX record to mail.example.com 📬");
    }
    const page = h("div", null, h("h1", null, "Łódź DNS"), h(Suspense, { fallback: h("p", null, "Loading…") }, h(LateAnswer)));
    // The answer resolves only once the shell is written, so the second write cannot be merged into it.
    const writes = await renderStream(render, page, (count) => count === 1 && resolveAnswer());
    expect(writes).toHaveLength(2);
    expect(writes[0]!.toString("utf8")).toContain("<h1>Łódź DNS</h1>");
    expect(writes[0]!.toString("utf8")).toContain("Loading…");
    expect(writes[1]!.toString("utf8")).toContain("Accepted: set the MX record to mail.example.com 📬");
    expect(asText(writes)).toContain('<div hidden id="S:0">');
  });
});
