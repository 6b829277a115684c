import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseConfig } from "../src/config.js";

/**
 * The demo: starts the API as its own process, signs up (or signs in) a demo tenant, asks the
 * GraphQL API who it is with the signed token, prints the answers, and stops the API.
 */
const DEMO = { tenantName: "Demo Turbofans Ltd", email: "demo.owner@example.com", name: "Dana Demo", password: "demo password 2026" };

const config = parseConfig(process.env);
const say = (line: string) => process.stdout.write(`${line}\n`);

function startApi(): Promise<{ child: ChildProcess; url: string }> {
  const main = fileURLToPath(new URL("../src/main.js", import.meta.url));
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: "0", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    // No API to use: make sure its process is gone (it may hold ports and connections), then fail.
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      lines.close();
      void stopApi(child).then(
        () => reject(error),
        () => reject(error),
      );
    };
    const timer = setTimeout(() => fail(new Error("the API did not start within 30 s")), 30_000);
    child.on("exit", (code, signal) => fail(new Error(`the API exited with ${signal ? `signal ${signal}` : `code ${code}`}`)));
    child.on("error", (error) => fail(new Error(`the API could not be started: ${error.message}`)));
    lines.on("line", (line) => {
      let entry: { msg?: string; address?: string } = {};
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        process.stderr.write(`${line}\n`);
      }
      if (entry.msg === "API listening" && entry.address && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ child, url: entry.address });
      }
    });
  });
}

/** Stops the API process: SIGTERM, then SIGKILL when it is still there after `graceMs`. */
async function stopApi(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    exited.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (!inTime) {
    process.stderr.write(`the API did not stop within ${graceMs / 1000} s of SIGTERM; killing it\n`);
    child.kill("SIGKILL");
    await exited;
  }
}

async function graphql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as {
    data?: Record<string, Record<string, unknown>>;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
}

const { child, url } = await startApi();
try {
  say(`API started at ${url} (Node ${process.versions.node})`);
  const ready = (await (await fetch(`${url}/readyz`)).json()) as { ready: boolean; checks: Record<string, { ok: boolean; ms: number }> };
  say(
    `readiness: ${Object.entries(ready.checks)
      .map(([name, c]) => `${name} ${c.ok ? "ok" : "DOWN"} (${c.ms} ms)`)
      .join(", ")}`,
  );

  const auth = "token expiresAt tenantId userId";
  let session = await graphql(url, `mutation ($input: SignUpInput!) { signUp(input: $input) { ${auth} } }`, { input: DEMO });
  let payload = session.data?.signUp;
  if (session.errors?.[0]?.extensions?.code === "CONFLICT") {
    say(`demo tenant exists already: signing in as ${DEMO.email}`);
    session = await graphql(url, `mutation ($input: SignInInput!) { signIn(input: $input) { ${auth} } }`, {
      input: { email: DEMO.email, password: DEMO.password },
    });
    payload = session.data?.signIn;
  } else {
    say(`signed up tenant "${DEMO.tenantName}" with owner ${DEMO.email}`);
  }
  const token = payload?.token;
  if (typeof token !== "string") throw new Error(`sign-in failed: ${JSON.stringify(session.errors)}`);
  const [header] = token.split(".");
  say(
    `signed access token (ES256, key ${JSON.parse(Buffer.from(header ?? "", "base64url").toString()).kid}), expires ${payload?.expiresAt}`,
  );

  const query = `query Demo {
  viewer { kind role scopes }
  tenant { id name status createdAt }
  members(first: 5) { edges { node { email name role } } }
  auditLog(first: 3) { edges { node { action actorKind createdAt } } }
}`;
  say(`\nPOST ${url}/graphql  (Authorization: Bearer <token>)\n${query}\n`);
  const answer = await graphql(url, query, {}, token);
  say(JSON.stringify(answer, null, 2));
  if (answer.errors) process.exitCode = 1;

  const anonymous = await graphql(url, "{ tenant { id } }");
  say(`\nthe same query without a token: ${anonymous.errors?.[0]?.extensions?.code} — ${anonymous.errors?.[0]?.message}`);
  say(`issuer ${config.AUTH_ISSUER}, audience ${config.AUTH_AUDIENCE}; public keys at ${url}/.well-known/jwks.json`);
} finally {
  await stopApi(child);
  say("API stopped");
}
