import { Agent, request } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

export interface PostAnswer {
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly text: string;
}

/**
 * POSTs a body over node:http with keep-alive connections. Used for line-protocol writes: the
 * bytes go to the socket as they are, without fetch's copy of the body and its streams, which
 * for batches of megabytes cost the API more CPU and garbage than the validation.
 */
export function createPoster(
  base: string,
  authorization: string,
  timeoutMs: number,
): (path: string, params: Record<string, string>, body: string | Uint8Array) => Promise<PostAnswer> {
  const origin = new URL(base);
  const secure = origin.protocol === "https:";
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new Agent({ keepAlive: true });
  const send = secure ? httpsRequest : request;

  return (path, params, body) =>
    new Promise<PostAnswer>((resolve, reject) => {
      const url = new URL(path, origin);
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      const payload = typeof body === "string" ? Buffer.from(body) : body;
      const req = send(
        url,
        {
          method: "POST",
          agent,
          timeout: timeoutMs,
          headers: {
            authorization,
            "content-type": "text/plain; charset=utf-8",
            "content-length": String(payload.byteLength),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const retry = res.headers["retry-after"];
            resolve({
              status: res.statusCode ?? 0,
              retryAfter: Array.isArray(retry) ? retry[0] : retry,
              text: Buffer.concat(chunks).toString("utf8"),
            });
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on("error", reject);
      req.end(payload);
    });
}
