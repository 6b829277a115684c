import { createServer, type IncomingMessage, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A recording proxy in front of the stack's stripe-mock: every request is recorded with its form
 * parameters, and a fault plan can answer 500 instead of forwarding, or forward and then never
 * answer (the request reached Stripe, the caller times out), or answer as Stripe does for a
 * customer it does not know (deleted). Counting what was forwarded is counting what reached Stripe.
 */
export type Fault = "pass" | "error500" | "timeout" | "customerMissing";

export type FaultPlan = (method: string, path: string, n: number, params: URLSearchParams) => Fault;

export interface ProxyRecord {
  readonly n: number;
  readonly method: string;
  readonly path: string;
  readonly params: URLSearchParams;
  readonly idempotencyKey: string | undefined;
  readonly fault: Fault;
  /** Whether stripe-mock received it. */
  readonly forwarded: boolean;
  /** stripe-mock's status, when it answered. */
  status?: number;
}

export interface StripeProxy {
  readonly url: string;
  readonly records: ProxyRecord[];
  /** Decides the fate of each request (from its form parameters too); the default passes everything. */
  setFaults(plan: FaultPlan): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export async function startStripeProxy(target: string): Promise<StripeProxy> {
  const upstream = new URL(target);
  const records: ProxyRecord[] = [];
  let plan: FaultPlan = () => "pass";
  const held = new Set<IncomingMessage>();

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const n = records.length + 1;
    const params = new URLSearchParams(method === "GET" ? (path.split("?")[1] ?? "") : body.toString("utf8"));
    const fault = plan(method, path.split("?")[0] ?? path, n, params);
    const key = req.headers["idempotency-key"];
    const record: ProxyRecord = {
      n,
      method,
      path,
      params,
      idempotencyKey: Array.isArray(key) ? key[0] : key,
      fault,
      forwarded: fault !== "error500" && fault !== "customerMissing",
    };
    records.push(record);
    if (fault === "customerMissing") {
      // Stripe's answer for a customer that does not exist (any more).
      const customer = record.params.get("payload[stripe_customer_id]") ?? record.params.get("customer") ?? "";
      record.status = 400;
      res.writeHead(400, { "content-type": "application/json", "request-id": `req_test_${n}` });
      res.end(
        JSON.stringify({
          error: {
            code: "resource_missing",
            doc_url: "https://stripe.com/docs/error-codes/resource-missing",
            message: `No such customer: '${customer}'`,
            param: "payload[stripe_customer_id]",
            type: "invalid_request_error",
          },
        }),
      );
      return;
    }
    if (fault === "error500") {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { type: "api_error", message: "injected by the test proxy" } }));
      return;
    }
    const headers = { ...req.headers, host: upstream.host };
    const forward = request({ host: upstream.hostname, port: upstream.port, method, path, headers }, (answer) => {
      record.status = answer.statusCode;
      if (fault === "timeout") {
        // Stripe did the work; the caller never hears back.
        answer.resume();
        held.add(req);
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on("error", () => {
      if (!res.headersSent) res.writeHead(502).end();
    });
    forward.end(body);
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    records,
    setFaults(next) {
      plan = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const req of held) req.socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
