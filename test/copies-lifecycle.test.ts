import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startApi, stopApi } from "../scripts/api-process.js";

describe("copies: a stopping copy leaves the load balancer first", () => {
  it("answers /readyz 503 from SIGTERM on, while it still serves requests for SHUTDOWN_DELAY_SECONDS", async () => {
    const copy = await startApi({ SHUTDOWN_DELAY_SECONDS: "20", MQTT_BRIDGE: "off" });
    try {
      const before = await fetch(`${copy.url}/readyz`);
      assert.equal(before.status, 200);
      const exited = new Promise<void>((resolve) => copy.child.once("exit", () => resolve()));
      copy.child.kill("SIGTERM");
      let readyz: Response | undefined;
      for (let i = 0; i < 100; i++) {
        readyz = await fetch(`${copy.url}/readyz`);
        if (readyz.status === 503) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(readyz?.status, 503, "/readyz turns 503 after SIGTERM");
      const body = (await readyz?.json()) as { checks?: Record<string, { ok: boolean }> };
      assert.equal(body.checks?.accepting?.ok, false, "the failing check says the copy is stopping");
      assert.equal(body.checks?.postgres?.ok, true);
      const healthz = await fetch(`${copy.url}/healthz`);
      assert.equal(healthz.status, 200, "requests are still served during the delay");
      await exited;
      assert.equal(copy.child.exitCode, 0);
    } finally {
      await stopApi(copy.child, 30_000);
    }
  });
});
