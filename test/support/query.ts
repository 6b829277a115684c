import type { ApiAddress } from "./harness.js";

export interface QueryAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The JSON answer (the first line of a chunked one). */
  readonly body: {
    error?: string;
    results?: {
      statement_id: number;
      series?: { name?: string; tags?: Record<string, string>; columns: string[]; values: unknown[][]; partial?: boolean }[];
      error?: string;
      partial?: boolean;
    }[];
  };
}

export type QueryAuth =
  | { readonly kind: "p"; readonly key: string }
  | { readonly kind: "basic"; readonly key: string }
  | { readonly kind: "token"; readonly key: string }
  | { readonly kind: "token-user"; readonly key: string }
  | { readonly kind: "bearer"; readonly key: string }
  | { readonly kind: "none" };

/** `/query` as v1 clients call it: GET with the parameters in the URL, or POST with a form body. */
export async function influxql(
  api: ApiAddress,
  q: string,
  options: { auth: QueryAuth; method?: "GET" | "POST"; params?: Record<string, string> },
): Promise<QueryAnswer> {
  const params = new URLSearchParams({ q, ...options.params });
  const headers: Record<string, string> = {};
  const auth = options.auth;
  if (auth.kind === "p") {
    params.set("u", "reader");
    params.set("p", auth.key);
  } else if (auth.kind === "basic") headers.authorization = `Basic ${Buffer.from(`reader:${auth.key}`).toString("base64")}`;
  else if (auth.kind === "token") headers.authorization = `Token ${auth.key}`;
  else if (auth.kind === "token-user") headers.authorization = `Token reader:${auth.key}`;
  else if (auth.kind === "bearer") headers.authorization = `Bearer ${auth.key}`;
  const res =
    options.method === "POST"
      ? await fetch(`${api.url}/query`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
          body: params.toString(),
        })
      : await fetch(`${api.url}/query?${params}`, { headers });
  const text = await res.text();
  const first = text.split("\n")[0] ?? "";
  return { status: res.status, headers: res.headers, text, body: first ? (JSON.parse(first) as QueryAnswer["body"]) : {} };
}

/** Every line of a chunked answer. */
export const lines = (a: QueryAnswer): QueryAnswer["body"][] =>
  a.text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as QueryAnswer["body"]);
