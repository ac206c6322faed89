/**
 * A gate in front of the test hook receiver (tests/support/hook-receiver.ts), on 127.0.0.1: every
 * webhook request passes through it to the receiver, which checks the signature and applies each
 * delivery once. The gate adds what fault tests with several processes need:
 *
 * - who sent a request: each process is given its own URL (`urlFor(name)`), the body is unchanged;
 * - whether two requests for one delivery were ever in flight at the same time;
 * - "applied, then the answer never came": a request is passed on (the receiver applies it) and
 *   the gate then holds the answer, as a receiver whose sender died mid-delivery sees it.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { HookReceiver } from "./hook-receiver";

export interface GateRequest {
  via: string;
  deliveryId: string | null;
  arrivedAt: number;
  /** When the answer was sent or the connection closed without one. */
  endedAt?: number;
  /** The receiver's status as passed back, "held" (answer withheld until the sender went away) or "error". */
  outcome?: number | "held" | "error";
  /** The receiver said it had already applied this delivery. */
  duplicate?: boolean;
}

export interface Overlap {
  deliveryId: string;
  /** Requests for the delivery in flight at once, this one included. */
  inFlight: number;
  vias: string[];
}

export interface HookGate {
  urlFor(via: string): string;
  requests: GateRequest[];
  requestsFor(deliveryId: string): GateRequest[];
  /** Each time a request arrived while another for the same delivery was still in flight. */
  overlaps: Overlap[];
  /**
   * The next request for this delivery is passed to the receiver, and its answer is never sent.
   * Resolves once the receiver has answered the gate (and so applied the event).
   */
  holdAnswer(deliveryId: string): Promise<GateRequest>;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

export async function startHookGate(receiver: HookReceiver): Promise<HookGate> {
  const requests: GateRequest[] = [];
  const overlaps: Overlap[] = [];
  const inFlight = new Map<string, GateRequest[]>();
  const holds = new Map<string, (request: GateRequest) => void>();
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    const via = decodeURIComponent((request.url ?? "/").replace(/^\/via\//, "").split(/[/?]/)[0] ?? "");
    const header = request.headers["hosthelp-delivery"];
    const deliveryId = typeof header === "string" ? header : null;
    const record: GateRequest = { via, deliveryId, arrivedAt: Date.now() };
    requests.push(record);

    if (deliveryId) {
      const flying = inFlight.get(deliveryId) ?? [];
      flying.push(record);
      inFlight.set(deliveryId, flying);
      if (flying.length > 1) overlaps.push({ deliveryId, inFlight: flying.length, vias: flying.map((r) => r.via) });
    }
    // Fires once: after the answer went out, or when the sender closed the connection first.
    response.once("close", () => {
      record.endedAt = Date.now();
      record.outcome ??= "held";
      if (deliveryId) {
        const flying = (inFlight.get(deliveryId) ?? []).filter((r) => r !== record);
        if (flying.length > 0) inFlight.set(deliveryId, flying);
        else inFlight.delete(deliveryId);
      }
    });

    void (async () => {
      const rawBody = await readBody(request);
      const forwarded: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if ((name.startsWith("hosthelp-") || name === "content-type" || name === "user-agent") && typeof value === "string") forwarded[name] = value;
      }
      const answer = await fetch(receiver.url, { method: request.method, headers: forwarded, body: rawBody });
      const text = await answer.text();
      try {
        record.duplicate = (JSON.parse(text) as { duplicate?: boolean }).duplicate === true;
      } catch {
        // Not JSON: an error page.
      }
      const hold = deliveryId ? holds.get(deliveryId) : undefined;
      if (hold && deliveryId) {
        holds.delete(deliveryId);
        hold(record);
        return; // The answer is never sent; the connection stays open until the sender goes away.
      }
      record.outcome = answer.status;
      response.writeHead(answer.status, { "Content-Type": answer.headers.get("content-type") ?? "text/plain" }).end(text);
    })().catch((error: unknown) => {
      record.outcome = "error";
      if (!response.headersSent) response.writeHead(502, { "Content-Type": "text/plain" }).end(`Gate error: ${String(error)}`);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    urlFor: (via) => `http://127.0.0.1:${port}/via/${encodeURIComponent(via)}/hooks/hosthelp`,
    requests,
    requestsFor: (deliveryId) => requests.filter((r) => r.deliveryId === deliveryId),
    overlaps,
    holdAnswer: (deliveryId) => new Promise((resolve) => holds.set(deliveryId, resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
