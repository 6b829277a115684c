import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { loadPortalDocuments } from "../src/portal/documents.js";
import { assertClean, launchChromium, openPortal, signIn } from "./support/browser.js";
import { type Api, newClientAddress, newFleet, newTenant, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { msToNs, turbofanLine, writeV2 } from "./support/telemetry.js";

/** A POST to /graphql with this body, as the portal sends it. */
async function post(api: Api, body: Record<string, unknown>, token?: string) {
  const res = await fetch(`${api.url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-forwarded-for": newClientAddress(),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      data?: Record<string, unknown> | null;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    },
  };
}

const persisted = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });

/** The hash of the portal's operation with this name, from the manifest the build wrote. */
function hashOfOperation(documents: ReadonlyMap<string, string>, name: string): string {
  const found = [...documents].find(([, document]) => new RegExp(`\\b(query|mutation|subscription) ${name}\\b`).test(document));
  assert.ok(found, `the manifest holds ${name}`);
  return found[0];
}

describe("the portal's persisted documents", () => {
  let api: Api;
  let browser: Browser;
  let documents: ReadonlyMap<string, string>;
  let owner: TestTenant;

  before(async () => {
    api = await startApi();
    browser = await launchChromium();
    documents = await loadPortalDocuments();
    owner = await newTenant(api, "Hashed Pumps");
    const fleet = await newFleet(api, owner, { assets: 2 });
    assert.equal((await writeV2(api, fleet.deviceToken, turbofanLine("engine_1", 0, msToNs(Date.now() - 60_000)))).status, 204);
  });

  after(async () => {
    await browser?.close();
    await api?.close();
  });

  it("the build's manifest holds every operation of the portal under its SHA-256", () => {
    assert.ok(documents.size >= 10, `${documents.size} documents`);
    for (const [hash, document] of documents) assert.equal(createHash("sha256").update(document).digest("hex"), hash);
    for (const name of ["PortalSignIn", "PortalFleetOverview", "PortalAlerts", "PortalAcknowledgeAlerts", "PortalCurrentMember"]) {
      hashOfOperation(documents, name);
    }
  });

  it("the portal sends only hashes, never a document's text, and every request is answered", async () => {
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    const sent: { body: Record<string, unknown>; bytes: number }[] = [];
    const answered: number[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname !== "/graphql" || request.method() !== "POST") return;
      const raw = request.postData() ?? "";
      sent.push({ body: JSON.parse(raw) as Record<string, unknown>, bytes: Buffer.byteLength(raw) });
    });
    page.on("response", (response) => {
      if (new URL(response.url()).pathname === "/graphql") answered.push(response.status());
    });

    await page.goto("/fleet");
    await signIn(watch, owner.ownerEmail);
    await page.getByRole("link", { name: "Engine 1" }).waitFor();
    await page.getByRole("link", { name: "Alerts" }).click();
    await page.getByText("No alerts yet").waitFor();
    await page.getByRole("link", { name: "Fleet" }).click();
    await page.getByRole("link", { name: "Engine 1" }).click();
    await page.getByRole("heading", { name: "Engine 1", level: 1 }).waitFor();
    await page.locator('.plots[data-state="success"]').waitFor();

    const operations = new Set<string>();
    for (const { body } of sent) {
      assert.equal(body.query, undefined, `no document text in ${JSON.stringify(body).slice(0, 200)}`);
      const hash = (body.extensions as { persistedQuery?: { sha256Hash?: string } } | undefined)?.persistedQuery?.sha256Hash ?? "";
      assert.ok(documents.has(hash), `the hash ${hash} is one of the manifest's`);
      operations.add(String(body.operationName));
    }
    for (const name of ["PortalSignIn", "PortalCurrentMember", "PortalFleetOverview", "PortalAlerts", "PortalAsset", "PortalAssetType"]) {
      assert.ok(operations.has(name), `${name} was sent (${[...operations].join(", ")})`);
    }
    assert.ok(answered.length > 0 && answered.every((status) => status === 200), `answers: ${answered.join(", ")}`);
    assertClean(watch);
    await watch.context.close();
  });

  it("refuses an unknown hash with APQ's PersistedQueryNotFound, a VALIDATION code and what to do", async () => {
    const unknown = await post(api, { extensions: persisted(randomBytes(32).toString("hex")) }, owner.token);
    const [error] = unknown.body.errors ?? [];
    assert.equal(error?.message, "PersistedQueryNotFound");
    assert.equal(error?.extensions?.code, "VALIDATION");
    assert.equal(error?.extensions?.persistedQuery, "NOT_FOUND");
    assert.match(String(error?.extensions?.hint), /send the query text/);
    assert.ok(!unknown.body.data, "nothing was executed");
  });

  it("a manifest document is held to the same cost limit as any document", async () => {
    // An API whose cost limit a page of 100 alerts exceeds (a list counts its `first` items).
    const strict = await startApi(testConfig({ GRAPHQL_MAX_COST: "100" }));
    try {
      const tenant = await newTenant(strict, "Costly Pumps");
      const alerts = hashOfOperation(documents, "PortalAlerts");
      const small = await post(
        strict,
        { operationName: "PortalAlerts", variables: { first: 5 }, extensions: persisted(alerts) },
        tenant.token,
      );
      assert.deepEqual(small.body.errors, undefined);
      assert.ok(small.body.data?.alerts, "answered by hash alone");
      const large = await post(
        strict,
        { operationName: "PortalAlerts", variables: { first: 100 }, extensions: persisted(alerts) },
        tenant.token,
      );
      assert.equal(large.status, 400);
      assert.equal(large.body.errors?.[0]?.extensions?.code, "VALIDATION");
      assert.equal(large.body.errors?.[0]?.extensions?.limit, "cost");
      assert.ok(!large.body.data, "nothing was executed");
    } finally {
      await strict.close();
    }
  });
});
