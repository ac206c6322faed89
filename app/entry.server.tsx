import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "~/components/nonce";
import { MarkupFragmentsProvider } from "~/components/server-markup";
import { loggableError } from "~/lib/loggable-error.server";

export const streamTimeout = 5_000;

/**
 * Renders the whole page before answering, and sends it as one buffer with its length.
 *
 * No route defers data, so every loader has finished before rendering starts and streaming would
 * win nothing: the shell is the whole page. Collecting React's output into one write is much
 * cheaper than passing each piece through a web stream, the compression middleware and the
 * socket, and lets the response carry a Content-Length instead of chunked encoding.
 *
 * (React's string renderer would be simpler still, but it cannot wait for the hydration data
 * that Remix streams into the page: it would leave the data out.)
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    // React writes its own small pieces as encoded bytes and long strings (the markup made outside
    // React, see ~/components/server-markup) as they are: they are kept as given and encoded once,
    // into the page's buffer, rather than each into a buffer of its own first.
    const chunks: (string | Uint8Array)[] = [];
    let byteLength = 0;
    // Gives up on a render that never completes (abort is defined below, long before this fires).
    const timer = setTimeout(() => abort(), streamTimeout + 1000);
    const body = new Writable({
      // React aborts its render when the stream it writes to closes, and ends the stream again,
      // which Node answers with an error object: a stack trace taken on every page for nothing.
      // The stream is finished with by then; it need not say that it closed.
      emitClose: false,
      decodeStrings: false,
      write(chunk: string | Uint8Array, _encoding, callback) {
        chunks.push(chunk);
        byteLength += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
        callback();
      },
      final(callback) {
        clearTimeout(timer);
        const html = Buffer.allocUnsafe(byteLength);
        let at = 0;
        for (const chunk of chunks) {
          if (typeof chunk === "string") at += html.write(chunk, at);
          else {
            html.set(chunk, at);
            at += chunk.byteLength;
          }
        }
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        responseHeaders.set("Content-Length", String(html.byteLength));
        // Every loader has finished by the time the page is rendered, so the count is complete.
        if (loadContext.queryTally) responseHeaders.set("X-SQL-Queries", String(loadContext.queryTally.queries));
        resolve(new Response(html, { headers: responseHeaders, status: responseStatusCode }));
        callback();
      },
    });
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <MarkupFragmentsProvider value={loadContext.markupFragments}>
          <RemixServer context={remixContext} url={request.url} nonce={nonce} />
        </MarkupFragmentsProvider>
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          pipe(body);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors after the shell are logged here; before it, Remix's error boundary renders.
          if (shellRendered) console.error(loggableError(error));
        },
      },
    );
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  // Refusals (404, 403, …) are answers, not failures; aborted requests are the client leaving.
  if (request.signal.aborted || isRouteErrorResponse(error)) return;
  console.error(loggableError(error));
}
