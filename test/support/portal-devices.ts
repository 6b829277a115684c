import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { createServer as createNetServer } from "node:net";
import { promisify } from "node:util";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import mqtt from "mqtt";
import type { Page } from "playwright-core";
import { createServer } from "../../src/api/server.js";
import { createServices } from "../../src/app.js";
import { createLogger } from "../../src/core/logger.js";
import { screenshot } from "./browser.js";
import { type Api, testConfig } from "./harness.js";

const run = promisify(execFile);

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * The API on a port chosen first, with API_PUBLIC_URL set to its own address, so the write URLs it
 * tells devices (and the portal's snippets built from them) reach this very process.
 */
export async function startApiAtPublicUrl(): Promise<Api> {
  const port = await freePort();
  const config = testConfig({ API_PUBLIC_URL: `http://127.0.0.1:${port}` });
  const log = createLogger(config);
  const { services, close } = await createServices(config, log);
  const app = await createServer(services, log);
  const url = await app.listen({ host: "127.0.0.1", port });
  return {
    url,
    services,
    app,
    async close() {
      await app.close();
      await close();
    },
  };
}

/** The shown-once snippet of a kind, as the page shows it (after its example line names the asset). */
export async function snippetText(page: Page, tab: RegExp, mustContain: string): Promise<string> {
  await page.getByRole("tab", { name: tab }).click();
  const pre = page.locator("pre[data-snippet]");
  await pre
    .filter({ hasText: mustContain })
    .waitFor({ timeout: 10_000 })
    .catch(async (error: unknown) => {
      throw new Error(`the snippet does not show ${mustContain}: ${await pre.textContent()}`, { cause: error });
    });
  return (await pre.textContent()) ?? "";
}

export interface MosquittoValues {
  readonly url: string;
  readonly username: string;
  readonly clientId: string;
  readonly password: string;
}

/** The broker URL with the topic, username, client id and password the mosquitto_pub snippet passes. */
export function mosquittoValues(snippet: string): MosquittoValues & { topicUrl: string } {
  const match = /-L '([^']+)' \\\n {2}-u '([^']+)' -i '([^']+)' \\\n {2}-P '([^']+)'/.exec(snippet);
  if (!match?.[1] || !match[2] || !match[3] || !match[4]) throw new Error(`not a mosquitto_pub snippet: ${snippet}`);
  const topicUrl = match[1];
  const parsed = new URL(topicUrl);
  return {
    topicUrl,
    url: `${parsed.protocol}//${parsed.host}`,
    username: match[2],
    clientId: match[3],
    password: match[4],
  };
}

/** Runs a shell snippet with bash, as a person pasting it would; its exit code and output. */
export async function runShell(snippet: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run("bash", ["-c", `set -eo pipefail\n${snippet}`], { timeout: 20_000 });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : 1, out: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

/** Runs the Node client snippet as a module inside the repository (so `@influxdata/influxdb-client` resolves). */
export async function runNodeSnippet(snippet: string): Promise<{ code: number; out: string }> {
  const file = `.stack/device-snippet-${randomBytes(6).toString("hex")}.mjs`;
  await writeFile(file, snippet);
  try {
    return await runShell(`node ${file}`);
  } finally {
    await rm(file, { force: true });
  }
}

/** Publishes one message with the MQTT client the tests use; rejects when the broker refuses the connection. */
export async function publishOnce(values: MosquittoValues, topic: string, message: string): Promise<void> {
  const client = await mqtt.connectAsync(values.url, {
    username: values.username,
    password: values.password,
    clientId: values.clientId,
    reconnectPeriod: 0,
    connectTimeout: 3_000,
    protocolVersion: 5,
  });
  try {
    await client.publishAsync(topic, message, { qos: 1 });
  } finally {
    await client.endAsync();
  }
}

/** Where the API tells a device to write, to compare with the portal's snippets. */
export const DeviceEndpointsDocument = parse(`
  query PortalDevicesTestEndpoints($id: ID!) {
    device(id: $id) {
      endpoints {
        httpWriteUrl
        mqttUrl
        mqttTopic
      }
    }
  }
`) as TypedDocumentNode<{ device: { endpoints: { httpWriteUrl: string; mqttUrl: string; mqttTopic: string } } }, { id: string }>;

/** A picture of the whole page from its top, in a window `height` pixels tall (the usual 700 cut the snippets off). */
export async function tallScreenshot(page: Page, name: string, height: number): Promise<void> {
  const size = page.viewportSize() ?? { width: 1100, height: 700 };
  await page.setViewportSize({ width: size.width, height });
  await page.evaluate("window.scrollTo(0, 0)");
  await screenshot(page, name);
  await page.setViewportSize(size);
}
