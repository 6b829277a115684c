import { createServer, type IncomingMessage, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A recording proxy in front of the stack's stripe-mock: every request is recorded with its form
 * parameters, and a fault plan can answer 500 instead of forwarding, or forward and then never
 * answer (the request reached Stripe, the caller times out). Counting what was forwarded is
 * counting what reached Stripe.
 */
export type Fault = "pass" | "error500" | "timeout";

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
  /** Decides the fate of each request; the default passes everything. */
  setFaults(plan: (method: string, path: string, n: number) => Fault): void;
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
  let plan: (method: string, path: string, n: number) => Fault = () => "pass";
  const held = new Set<IncomingMessage>();

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const n = records.length + 1;
    const fault = plan(method, path.split("?")[0] ?? path, n);
    const key = req.headers["idempotency-key"];
    const record: ProxyRecord = {
      n,
      method,
      path,
      params: new URLSearchParams(method === "GET" ? (path.split("?")[1] ?? "") : body.toString("utf8")),
      idempotencyKey: Array.isArray(key) ? key[0] : key,
      fault,
      forwarded: fault !== "error500",
    };
    records.push(record);
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
