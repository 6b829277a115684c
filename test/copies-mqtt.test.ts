import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import mqtt from "mqtt";
import { startApi as startApiProcess, stopApi } from "../scripts/api-process.js";
import { connectDb, type Db } from "../src/db/client.js";
import { newPaidTenant } from "./support/billing.js";
import { type Api, newFleet, ownerUrl, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { countPoints, msToNs, turbofanLine, waitFor } from "./support/telemetry.js";

type Copy = Awaited<ReturnType<typeof startApiProcess>>;
type Fleet = Awaited<ReturnType<typeof newFleet>>;

/** Short leases, so that a killed copy's session is drained within seconds. */
const COPY_ENV = { MQTT_BRIDGE: "on", MQTT_BRIDGE_LEASE_SECONDS: "3", LOG_LEVEL: "info" };
const root = fileURLToPath(new URL("../..", import.meta.url));

interface Figures {
  sent: number;
  acknowledged: number;
  stored: number;
  billed: number;
  doubled: number;
}

/**
 * Two API copies bridge MQTT to InfluxDB while one of them (or the broker) stops mid-burst:
 * every message the broker acknowledged to the device is stored, and billed once.
 */
describe("copies: MQTT ingest loses nothing when copies or the broker stop", () => {
  let control: Api;
  let owner: Db;
  let copies: Copy[] = [];

  before(async () => {
    // Creates tenants and reads the results; its own bridge is off, so it takes no share.
    control = await startApi(testConfig({ MQTT_BRIDGE: "off" }));
    owner = connectDb(ownerUrl(), { max: 1, applicationName: "pdm-test-owner" });
  });
  after(async () => {
    await Promise.all(copies.map((c) => stopApi(c.child)));
    await owner?.close();
    await control?.close();
  });

  async function startCopies(n: number, env: Record<string, string> = {}): Promise<Copy[]> {
    const started: Copy[] = [];
    for (let i = 0; i < n; i++) started.push(await startApiProcess({ ...COPY_ENV, ...env }));
    copies.push(...started);
    return started;
  }
  async function stopAll(): Promise<void> {
    await Promise.all(copies.map((c) => stopApi(c.child)));
    copies = [];
  }

  async function ledger(tenantId: string): Promise<number> {
    const [row] = await owner.sql<{ n: string | null }[]>`
      select sum(quantity)::bigint as n from usage_ledger where tenant_id = ${tenantId} and meter = 'points_ingested'`;
    return Number(row?.n ?? 0);
  }

  async function connectDevice(fleet: Fleet) {
    return mqtt.connectAsync(process.env.MQTT_URL ?? "", {
      username: fleet.mqttUsername,
      password: fleet.deviceToken,
      clientId: fleet.mqttClientId,
      protocolVersion: 5,
      clean: false,
      properties: { sessionExpiryInterval: 600 },
      reconnectPeriod: 200,
    });
  }

  /**
   * Publishes `n` one-point messages (QoS 1, each its own timestamp) and calls `fault` once
   * `faultAfter` were acknowledged; then waits until InfluxDB holds every acknowledged one.
   */
  async function burst(t: TestTenant, fleet: Fleet, n: number, faultAfter: number, fault: () => Promise<void>): Promise<Figures> {
    const device = await connectDevice(fleet);
    const base = Date.now() - 3_600_000;
    let acknowledged = 0;
    let faulted: Promise<void> | undefined;
    let faultAt = Date.now();
    const publishes: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) {
      const body = turbofanLine("engine_1", i, msToNs(base + i));
      publishes.push(
        device.publishAsync(fleet.mqttTopic, body, { qos: 1 }).then(() => {
          acknowledged++;
          if (acknowledged === faultAfter) {
            faultAt = Date.now();
            faulted = fault();
          }
        }),
      );
      // A device that sends steadily, so the fault lands mid-stream.
      if (i % 25 === 24) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.allSettled(publishes);
    await faulted;
    await device.endAsync();
    // Every acknowledged message, or what arrived within a minute (the assertion shows the loss).
    const stored = await waitFor(
      `the ${acknowledged} acknowledged messages in InfluxDB`,
      async () => {
        const count = await countPoints(control, t.tenantId);
        return count >= acknowledged ? count : undefined;
      },
      60_000,
    ).catch(() => countPoints(control, t.tenantId));
    const storedAfterMs = Date.now() - faultAt;
    // Redelivered messages would be billed again only now: wait for the ledger to settle.
    const billed = await waitFor("the ledger to settle", async () => {
      const first = await ledger(t.tenantId);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return (await ledger(t.tenantId)) === first ? first : undefined;
    });
    const figures = { sent: n, acknowledged, stored, billed, doubled: billed - stored };
    process.stderr.write(`MQTT figures: ${JSON.stringify(figures)}; all stored ${storedAfterMs} ms after the fault\n`);
    return figures;
  }

  async function freshFleet(name: string): Promise<{ t: TestTenant; fleet: Fleet }> {
    const t = await newPaidTenant(control, name);
    return { t, fleet: await newFleet(control, t, { assets: 1 }) };
  }

  it("loses none of 500 messages when a copy gets SIGTERM mid-burst, and bills each once", async () => {
    const { t, fleet } = await freshFleet("Sigterm Ltd");
    const [, second] = await startCopies(2);
    assert.ok(second);
    const f = await burst(t, fleet, 500, 100, () => stopApi(second.child));
    assert.deepEqual(f, { sent: 500, acknowledged: 500, stored: 500, billed: 500, doubled: 0 });
    await stopAll();
  });

  it("loses none of 500 messages when a copy is SIGKILLed mid-burst: a live copy drains its session", async () => {
    const { t, fleet } = await freshFleet("Sigkill Ltd");
    const [, second] = await startCopies(2);
    assert.ok(second);
    const f = await burst(t, fleet, 500, 100, async () => {
      second.child.kill("SIGKILL");
    });
    assert.deepEqual(f, { sent: 500, acknowledged: 500, stored: 500, billed: 500, doubled: 0 });
    await stopAll();
  });

  it("loses none of 300 messages across a broker restart mid-stream", async () => {
    const { t, fleet } = await freshFleet("Broker Restart Ltd");
    await startCopies(2);
    const f = await burst(t, fleet, 300, 100, async () => {
      await promisify(execFile)("bash", [`${root}/scripts/stack`, "restart-mqtt"], { cwd: root });
    });
    assert.deepEqual(f, { sent: 300, acknowledged: 300, stored: 300, billed: 300, doubled: 0 });
    await stopAll();
  });

  it("keeps what arrives while every copy is stopped, for the next copy to start", async () => {
    const { t, fleet } = await freshFleet("Rolling Ltd");
    const [first] = await startCopies(1);
    assert.ok(first);
    await stopAll();
    const f = await burst(t, fleet, 200, 200, async () => {
      await startCopies(1);
    });
    assert.deepEqual(f, { sent: 200, acknowledged: 200, stored: 200, billed: 200, doubled: 0 });
    await stopAll();
  });

  it("refuses to start a copy whose configured client id another live copy holds", async () => {
    const clientId = `pdm-test-fixed-${randomBytes(4).toString("hex")}`;
    await startCopies(1, { MQTT_BRIDGE_CLIENT_ID: clientId });
    // A second copy that started anyway is stopped with the others, not left running.
    const second = await startApiProcess({ ...COPY_ENV, MQTT_BRIDGE_CLIENT_ID: clientId }).then(
      (copy) => {
        copies.push(copy);
        return new Error("the second copy started");
      },
      (error: unknown) => error,
    );
    assert.match(String(second), /exited with code 2/);
    // Once the holder stopped, the id is free again.
    await stopAll();
    await startCopies(1, { MQTT_BRIDGE_CLIENT_ID: clientId });
    await stopAll();
  });
});
