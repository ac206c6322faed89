/**
 * A real webhook receiver on 127.0.0.1, written as the README tells hosts to write one: it checks
 * HostHelp-Signature with the helper the project exports, and applies each HostHelp-Delivery
 * once however often it arrives. Tests script how it answers one delivery (fail N times, hang,
 * drop the connection, apply and then fail) and can take it down and bring it back on its port.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
// The package's own export, as a receiver installs it (needs `npm run build`, as the app tests do).
import { verifySignature, type SignatureCheck } from "hosthelp/signature";
import type { ProvisioningEvent } from "~/jobs/provisioning/events";

export type Behaviour =
  /** Answer with this status without applying (2xx still applies: see `answer` below). */
  | { fail: number }
  /** Read the request and never answer, until the sender gives up. */
  | "hang"
  /** Drop the connection without an answer. */
  | "close"
  /** Apply the event, then answer with an error: the sender sees a failure and retries. */
  | { applyThenFail: number };

export interface ReceivedRequest {
  deliveryId: string | null;
  eventType: string | null;
  signature: SignatureCheck;
  headers: IncomingMessage["headers"];
  rawBody: string;
  /** The status answered, or what happened instead. */
  outcome: number | "hang" | "close";
  at: Date;
}

export interface HookReceiver {
  url: string;
  secret: string;
  requests: ReceivedRequest[];
  /** Events applied, by delivery id: a retry of an applied delivery is answered 200 and not applied again. */
  applied: Map<string, ProvisioningEvent>;
  /** How the next requests for one delivery are answered, in order; after these, normally. */
  script(deliveryId: string, ...behaviours: Behaviour[]): void;
  requestsFor(deliveryId: string): ReceivedRequest[];
  /** Stops listening: senders get "connection refused" until start(). */
  stop(): Promise<void>;
  /** Listens again, on the same port. */
  start(): Promise<void>;
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

export async function startHookReceiver({ secret = "whsec_receiver_test_secret" }: { secret?: string } = {}): Promise<HookReceiver> {
  const requests: ReceivedRequest[] = [];
  const applied = new Map<string, ProvisioningEvent>();
  const scripts = new Map<string, Behaviour[]>();
  const sockets = new Set<Socket>();

  function answer(response: ServerResponse, status: number, body: Record<string, unknown>): void {
    response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const rawBody = await readBody(request);
    const deliveryId = typeof request.headers["hosthelp-delivery"] === "string" ? request.headers["hosthelp-delivery"] : null;
    const eventType = typeof request.headers["hosthelp-event"] === "string" ? request.headers["hosthelp-event"] : null;
    const signature = verifySignature({ header: request.headers["hosthelp-signature"] as string | undefined, rawBody, secret });
    const record = (outcome: ReceivedRequest["outcome"]) => requests.push({ deliveryId, eventType, signature, headers: request.headers, rawBody, outcome, at: new Date() });

    if (request.method !== "POST" || !signature.ok || !deliveryId) {
      record(400);
      return answer(response, 400, { error: signature.ok ? "Expected a POST with HostHelp-Delivery." : signature.message });
    }
    const behaviour = scripts.get(deliveryId)?.shift();
    if (behaviour === "hang") return void record("hang");
    if (behaviour === "close") {
      record("close");
      request.socket.destroy();
      return;
    }
    if (behaviour && "fail" in behaviour) {
      record(behaviour.fail);
      return answer(response, behaviour.fail, { error: "Scripted failure" });
    }
    const event = JSON.parse(rawBody) as ProvisioningEvent;
    const duplicate = applied.has(deliveryId);
    if (!duplicate) applied.set(deliveryId, event);
    if (behaviour && "applyThenFail" in behaviour) {
      record(behaviour.applyThenFail);
      return answer(response, behaviour.applyThenFail, { error: "Applied, then failed before answering" });
    }
    record(200);
    answer(response, 200, { received: true, duplicate });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) answer(response, 500, { error: String(error) });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });

  await listen(0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/hosthelp`,
    secret,
    requests,
    applied,
    script(deliveryId, ...behaviours) {
      scripts.set(deliveryId, [...(scripts.get(deliveryId) ?? []), ...behaviours]);
    },
    requestsFor: (deliveryId) => requests.filter((request) => request.deliveryId === deliveryId),
    stop,
    start: () => listen(port),
    close: stop,
  };
}
