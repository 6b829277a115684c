import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { ConfigError, parseConfig } from "../src/config.js";

const main = fileURLToPath(new URL("../src/main.js", import.meta.url));

function start(env: Record<string, string | undefined>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [main], { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe("configuration", () => {
  it("parses the test environment", () => {
    const config = parseConfig(process.env);
    assert.match(config.DATABASE_URL, /^postgres/);
  });

  it("names every missing or wrong variable", () => {
    assert.throws(
      () => parseConfig({ ...process.env, DATABASE_URL: undefined, PORT: "eighty", STRIPE_SECRET_KEY: "pk_live_x" }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /DATABASE_URL is not set/);
        assert.match(error.message, /PORT/);
        assert.match(error.message, /STRIPE_SECRET_KEY must start with sk_test_/);
        assert.equal(error.problems.length, 3);
        return true;
      },
    );
  });

  it("stops the API at start-up with a message naming the bad variable", async () => {
    const bad = await start({ ...process.env, AUTH_KEY_ENCRYPTION_SECRET: "short", PORT: "0" });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /AUTH_KEY_ENCRYPTION_SECRET must be at least 32 characters/);
    const missing = await start({ ...process.env, TEMPORAL_ADDRESS: undefined, PORT: "0" });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /TEMPORAL_ADDRESS is not set/);
    assert.doesNotMatch(missing.stderr, /at .*\.js/, "a config error is a message, not a stack trace");
  });

  it("turns the GraphQL IDE on in development and test, off in production, unless GRAPHQL_IDE says otherwise", () => {
    const env = { ...process.env, GRAPHQL_IDE: undefined, WEBHOOK_ALLOW_HTTP: "false" };
    assert.equal(parseConfig({ ...env, NODE_ENV: "development" }).GRAPHQL_IDE, "on");
    assert.equal(parseConfig({ ...env, NODE_ENV: "test" }).GRAPHQL_IDE, "on");
    assert.equal(parseConfig({ ...env, NODE_ENV: "production" }).GRAPHQL_IDE, "off");
    assert.equal(parseConfig({ ...env, NODE_ENV: "production", GRAPHQL_IDE: "on" }).GRAPHQL_IDE, "on");
    assert.equal(parseConfig({ ...env, NODE_ENV: "development", GRAPHQL_IDE: "off" }).GRAPHQL_IDE, "off");
    assert.throws(() => parseConfig({ ...env, GRAPHQL_IDE: "yes" }), /GRAPHQL_IDE/);
  });
});
