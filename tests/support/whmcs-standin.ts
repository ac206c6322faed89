/**
 * A stand-in for the WHMCS API on 127.0.0.1, following its documentation for the calls HostHelp
 * makes (developers.whmcs.com/api-reference: AddCredit, GetCredits, WhmcsDetails): a
 * form-encoded POST to /includes/api.php with `identifier`, `secret`, `action` and
 * `responsetype=json`; answers `{result: "success", ...}` or `{result: "error", message}`.
 *
 * `failAfterApplying` makes it apply the next AddCredit and then lose the answer (a 500, or the
 * connection dropped), which is what the adapter's GetCredits check before a retry is for.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface WhmcsCredit {
  id: number;
  date: string;
  description: string;
  /** In cents, negative for a removal. */
  cents: number;
}

export interface WhmcsCall {
  action: string;
  /** The request's parameters without the credentials. */
  params: Record<string, string>;
}

export interface WhmcsStandIn {
  /** What WHMCS_URL is set to: the installation's address. */
  url: string;
  identifier: string;
  secret: string;
  calls: WhmcsCall[];
  addClient(clientId: string): void;
  credits(clientId: string): WhmcsCredit[];
  /** The client's credit balance in cents. */
  balanceCents(clientId: string): number;
  /** The next `times` AddCredit calls are applied, then answered with a 500 or a dropped connection. */
  failAfterApplying(times: number, how: "500" | "drop"): void;
  close(): Promise<void>;
}

const DECIMAL_AMOUNT = /^\d+(\.\d{1,2})?$/;
const toCents = (amount: string) => Math.round(Number(amount) * 100);
const toAmount = (cents: number) => (cents / 100).toFixed(2);

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

export async function startWhmcsStandIn({ identifier = "whmcs-test-identifier", secret = "whmcs-test-secret" } = {}): Promise<WhmcsStandIn> {
  const clients = new Map<string, WhmcsCredit[]>();
  const calls: WhmcsCall[] = [];
  let nextCreditId = 1;
  let failures: { left: number; how: "500" | "drop" } = { left: 0, how: "500" };

  function reply(response: ServerResponse, body: Record<string, unknown>, status = 200): void {
    response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  }
  function error(response: ServerResponse, message: string, status = 200): void {
    reply(response, { result: "error", message }, status);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    if (request.method !== "POST" || new URL(request.url ?? "/", "http://x").pathname !== "/includes/api.php") return error(response, "Not found", 404);
    if (!request.headers["content-type"]?.startsWith("application/x-www-form-urlencoded")) return error(response, "Expected a form-encoded POST", 400);
    const params = Object.fromEntries(new URLSearchParams(raw));
    if (params.identifier !== identifier || params.secret !== secret) return error(response, "Authentication Failed", 403);
    if (params.responsetype !== "json") {
      response.writeHead(200, { "Content-Type": "text/xml" }).end("<?xml version=\"1.0\"?><whmcsapi><result>error</result></whmcsapi>");
      return;
    }
    const { identifier: _identifier, secret: _secret, responsetype: _type, action = "", ...rest } = params;
    calls.push({ action, params: rest });

    switch (action) {
      case "WhmcsDetails":
        return reply(response, { result: "success", whmcs: { version: "8.13.1", canonicalversion: "8.13.1-release.1" } });
      case "GetCredits": {
        const credits = clients.get(rest.clientid ?? "");
        if (!credits) return error(response, "Client ID Not Found");
        return reply(response, {
          result: "success",
          totalresults: credits.length,
          clientid: rest.clientid,
          credits: { credit: credits.map((credit) => ({ id: credit.id, date: credit.date, description: credit.description, amount: toAmount(credit.cents), relid: 0 })) },
        });
      }
      case "AddCredit": {
        const credits = clients.get(rest.clientid ?? "");
        if (!credits) return error(response, "Client ID Not Found");
        const type = rest.type ?? "add";
        if (type !== "add" && type !== "remove") return error(response, "Type can only be add or remove");
        if (!rest.amount) return error(response, "No Amount Provided");
        if (!DECIMAL_AMOUNT.test(rest.amount)) return error(response, "Amount must be in decimal format: ### or ###.##");
        const cents = toCents(rest.amount) * (type === "remove" ? -1 : 1);
        credits.push({ id: nextCreditId++, date: new Date().toISOString().slice(0, 10), description: rest.description ?? "", cents });
        if (failures.left > 0) {
          failures.left -= 1;
          if (failures.how === "drop") return void request.socket.destroy();
          return error(response, "Internal error after the credit was saved", 500);
        }
        return reply(response, { result: "success", newbalance: toAmount(credits.reduce((sum, credit) => sum + credit.cents, 0)) });
      }
      default:
        return error(response, `Command Not Found: ${action}`);
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((failure: unknown) => {
      if (!response.headersSent) error(response, String(failure), 500);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const credits = (clientId: string) => clients.get(clientId) ?? [];
  return {
    url: `http://127.0.0.1:${port}`,
    identifier,
    secret,
    calls,
    addClient: (clientId) => void clients.set(clientId, clients.get(clientId) ?? []),
    credits,
    balanceCents: (clientId) => credits(clientId).reduce((sum, credit) => sum + credit.cents, 0),
    failAfterApplying(times, how) {
      failures = { left: times, how };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
