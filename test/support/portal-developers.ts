import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Client, WorkflowHandle } from "@temporalio/client";
import { DELIVER_ALERT } from "../../src/alerts/index.js";
import { newId } from "../../src/core/ids.js";
import { startWorkflow } from "../../src/temporal/starter.js";
import { type Api, newFleet, type TestTenant } from "./harness.js";
import { seedAlert } from "./models.js";

export interface Hit {
  readonly path: string;
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
}

/** A webhook receiver on 127.0.0.1: /fail answers 500, /flaky refuses its first request with 500, anything else 204. */
export async function startReceiver() {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "";
      const first = !hits.some((h) => h.path === path);
      hits.push({ path, body: Buffer.concat(chunks).toString("utf8"), headers: req.headers });
      res.writeHead(path.startsWith("/fail") || (path.startsWith("/flaky") && first) ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The three headers a Standard Webhooks library reads. */
export const standardHeaders = (hit: Hit): Record<string, string> =>
  Object.fromEntries(["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => [name, String(hit.headers[name] ?? "")]));

/** A new alert on a fresh asset of the tenant, delivered to its webhooks by the workflow a scoring run starts; resolves when it ends. */
export async function deliverNewAlert(api: Api, client: Client, tenant: TestTenant, started: WorkflowHandle[]) {
  const fleet = await newFleet(api, tenant, { typeKey: `hook_${newId("asset").slice(-6)}`, assets: 1, sensors: ["s1"] });
  const alertId = await seedAlert(api, tenant, { assetId: fleet.assets[0]?.id ?? "", predictionId: newId("prediction") });
  const handle = await startWorkflow(client, DELIVER_ALERT, {
    workflowId: `deliver-${alertId}`,
    args: [{ tenantId: tenant.tenantId, alertId }],
  });
  started.push(handle);
  return { alertId, result: await handle.result() };
}

/** Signs in through the form whatever the page's language: by the fields' types, not their labels. */
export async function signInAnyLanguage(page: import("playwright-core").Page, email: string, password: string): Promise<void> {
  await page.locator('input[type="email"]').fill(email);
  await page.locator('input[type="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
}
