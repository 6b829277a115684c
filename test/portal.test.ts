import assert from "node:assert/strict";
import { get } from "node:http";
import { after, before, describe, it } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import Fastify from "fastify";
import type { Browser } from "playwright-core";
import { registerPortal } from "../src/portal/static.js";
import { AcceptInvitationDocument, CreateInvitationDocument, SignInDocument, SignOutDocument } from "./generated/graphql.js";
import {
  assertClean,
  axeViolations,
  launchChromium,
  openPortal,
  type PageWatch,
  portalSession,
  screenshot,
  signIn,
} from "./support/browser.js";
import {
  type Api,
  addMember,
  gqlOk,
  newClientAddress,
  newFleet,
  newTenant,
  PASSWORD,
  startApi,
  type TestTenant,
  uniqueEmail,
} from "./support/harness.js";

let api: Api;
let browser: Browser;

before(async () => {
  api = await startApi();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await api?.close();
});

/** Each fleet row's name and external id. */
async function fleetRows(watch: PageWatch): Promise<string[]> {
  await watch.page.getByRole("table", { name: /Assets of this company/ }).waitFor();
  // The test compiles without the DOM's types, so the shape is spelled out.
  type Row = { querySelector(selector: string): { textContent: string | null } | null };
  return watch.page
    .locator("tbody tr[data-asset-id]")
    .evaluateAll((rows: Row[]) =>
      rows.map(
        (row) => `${row.querySelector("[data-col=name] a")?.textContent} | ${row.querySelector("[data-col=external-id]")?.textContent}`,
      ),
    );
}

describe("the web portal", () => {
  let owner: TestTenant;
  let ownerWatch: PageWatch;

  it("a new customer signs up, signs in, sees an empty fleet, then the assets the API created", async () => {
    ownerWatch = await openPortal(browser, api.url);
    const { page } = ownerWatch;
    await page.goto("/");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await screenshot(page, "sign-in");
    await page.getByRole("link", { name: "Create an account" }).click();
    const email = uniqueEmail("portal");
    await page.getByLabel("Your name").fill("Paula Portal");
    await page.getByLabel("Company").fill("Portal Pumps");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await screenshot(page, "sign-up");
    await page.getByRole("button", { name: "Create account" }).click();

    await page.getByText(`Your request for ${email} is in`).waitFor();
    assert.equal(await page.getByLabel("Email").inputValue(), email, "the sign-in form keeps the address");
    await signIn(ownerWatch, email);
    await page.getByText("No assets yet").waitFor();
    assert.equal(new URL(page.url()).pathname, "/fleet");
    assert.ok(await page.getByText("Portal Pumps").isVisible(), "the shell names the tenant");
    await screenshot(page, "fleet-empty");

    const session = await portalSession(page);
    owner = { tenantId: session.tenantId, ownerId: session.userId, ownerEmail: email, token: session.token };
    await newFleet(api, owner, { assets: 3 });
    await page.goto("/fleet?sort=name");
    assert.deepEqual(await fleetRows(ownerWatch), ["Engine 1 | engine_1", "Engine 2 | engine_2", "Engine 3 | engine_3"]);
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the fleet page");
    assertClean(ownerWatch);
  });

  it("a second company sees only its own assets", async () => {
    const other = await newTenant(api, "Other Compressors");
    await newFleet(api, other, { assets: 1 });
    const watch = await openPortal(browser, api.url);
    await watch.page.goto("/fleet");
    await signIn(watch, other.ownerEmail);
    assert.deepEqual(await fleetRows(watch), ["Engine 1 | engine_1"]);
    assert.ok(await watch.page.getByText("Other Compressors").isVisible());
    assert.equal(await watch.page.getByText("Portal Pumps").count(), 0);
    assertClean(watch);
    await watch.context.close();
  });

  it("an account in two companies chooses one at sign-in and switches to the other with its password", async () => {
    const north = await newTenant(api, "North Turbines");
    const south = await newTenant(api, "South Turbines");
    await newFleet(api, south, { assets: 1 });
    const { createInvitation } = await gqlOk(api, CreateInvitationDocument, { email: north.ownerEmail, role: "ENGINEER" }, south.token);
    await gqlOk(api, AcceptInvitationDocument, { input: { token: createInvitation.token, password: PASSWORD } });

    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await page.goto("/");
    await signIn(watch, north.ownerEmail);
    await page.getByText("Your account belongs to several companies").waitFor();
    await page.getByLabel("Company").selectOption({ label: "South Turbines" });
    await page.getByRole("button", { name: "Sign in" }).click();
    assert.deepEqual(await fleetRows(watch), ["Engine 1 | engine_1"]);
    const switcher = page.getByLabel("Company");
    assert.equal(await switcher.inputValue(), south.tenantId);
    assert.equal((await portalSession(page)).tenantId, south.tenantId);
    await screenshot(page, "tenant-switcher");

    await switcher.selectOption({ label: "North Turbines" });
    await page.getByText("Enter your password to open North Turbines").waitFor();
    await page.getByRole("button", { name: "Stay in the current company" }).click();
    assert.deepEqual(await fleetRows(watch), ["Engine 1 | engine_1"]);
    assert.equal(await page.getByLabel("Company").inputValue(), south.tenantId);

    await page.getByLabel("Company").selectOption({ label: "North Turbines" });
    await page.getByText("Enter your password to open North Turbines").waitFor();
    assert.equal(await page.getByLabel("Email").inputValue(), north.ownerEmail);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("No assets yet").waitFor();
    assert.equal(await page.getByLabel("Company").inputValue(), north.tenantId);
    assert.equal((await portalSession(page)).tenantId, north.tenantId);
    assertClean(watch);
    await watch.context.close();
  });

  it("when the token stops working, the portal asks to sign in again and returns to the same page", async () => {
    const { page } = ownerWatch;
    const view = "/fleet?sort=name&q=Engine%203";
    await page.getByRole("link", { name: "Fleet" }).waitFor();
    await page.goto(view);
    assert.deepEqual(await fleetRows(ownerWatch), ["Engine 3 | engine_3"]);

    // The session ends behind the page's back (as it does when the token expires or is signed out elsewhere).
    await gqlOk(api, SignOutDocument, {}, (await portalSession(page)).token);
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await page.reload();
    await page.getByText("Your session has ended").waitFor();
    assert.equal(await page.getByLabel("Email").inputValue(), owner.ownerEmail, "the address of the ended session is kept");
    await screenshot(page, "session-ended");
    await signIn(ownerWatch, owner.ownerEmail);
    assert.deepEqual(await fleetRows(ownerWatch), ["Engine 3 | engine_3"]);
    const back = new URL(page.url());
    assert.equal(back.pathname, "/fleet");
    assert.deepEqual([back.searchParams.get("sort"), back.searchParams.get("q")], ["name", "Engine 3"]);
    // The one refused request is the API's 401, which the browser logs.
    assertClean(ownerWatch, [/status of 401/]);
  });

  it("a session past its expiry ends by itself, and the keyboard alone signs in again", async () => {
    const tenant = await newTenant(api, "Keyboard Kilns");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await page.goto("/finance");
    await page.getByLabel("Email").fill(tenant.ownerEmail);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Password").press("Enter");
    await page.getByRole("heading", { name: "Your access: finance" }).waitFor();

    // The stored expiry passes (as it does after the token's lifetime): no request needed to notice.
    await page.evaluate(() => {
      const key = "pdm.portal.session";
      const session = JSON.parse(sessionStorage.getItem(key) ?? "{}") as { expiresAt?: string };
      sessionStorage.setItem(key, JSON.stringify({ ...session, expiresAt: new Date(Date.now() - 1000).toISOString() }));
    });
    await page.reload();
    await page.getByText("Your session has ended").waitFor();
    assert.equal(await page.getByLabel("Email").inputValue(), tenant.ownerEmail);
    await page.getByLabel("Password").focus();
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Tab");
    assert.equal(
      await page.evaluate<string | null>("document.activeElement && document.activeElement.textContent"),
      "Sign in",
      "the button follows the password",
    );
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Your access: finance" }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/finance");
    assertClean(watch);
    await watch.context.close();
  });

  it("signing out ends the token and shows the sign-in page", async () => {
    const { page } = ownerWatch;
    const { token } = await portalSession(page);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByText("You are signed out.").waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem("pdm.portal.session")), null);
    const refused = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "{ viewer { userId } }" }),
    });
    assert.equal(refused.status, 401, "the signed-out token no longer works");
    await page.goto("/fleet");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    assertClean(ownerWatch, [/status of 401/]);
    await ownerWatch.context.close();
  });

  it("the finance role lands on what it may see, and the fleet shows the API's refusal with its request id", async () => {
    // The owner's browser sessions ended above; a fresh token through the API invites the member.
    const fresh = await gqlOk(
      api,
      SignInDocument,
      { input: { email: owner.ownerEmail, password: PASSWORD } },
      undefined,
      newClientAddress(),
    );
    const finance = await addMember(api, { ...owner, token: fresh.signIn.token }, "FINANCE");
    const watch = await openPortal(browser, api.url);
    await watch.page.goto("/");
    await signIn(watch, finance.email);
    await watch.page.getByRole("heading", { name: "Your access: finance" }).waitFor();
    assert.equal(await watch.page.getByRole("link", { name: "Fleet" }).count(), 0, "no fleet link for finance");
    await screenshot(watch.page, "finance");
    assert.deepEqual(await axeViolations(watch.page), [], "accessibility violations on the finance page");

    await watch.page.goto("/fleet");
    // The asset types and the assets are two requests; either refusal may show first, the assets' one stays.
    const alert = watch.page.getByRole("alert").filter({ hasText: "Could not load the assets" });
    await alert.waitFor();
    const text = (await alert.textContent()) ?? "";
    assert.match(text, /telemetry:read/, "the API's own message");
    assert.match(text, /Request id: req_[0-9a-f]+/);
    await screenshot(watch.page, "fleet-error");
    assertClean(watch, [/status of 403/]);
    await watch.context.close();
  });
});

describe("serving the portal", () => {
  it("answers pages with index.html under a strict Content-Security-Policy and no-cache", async () => {
    for (const path of ["/", "/fleet?after=x", "/sign-in"]) {
      const res = await fetch(`${api.url}${path}`, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
      assert.equal(res.headers.get("cache-control"), "no-cache");
      const csp = res.headers.get("content-security-policy") ?? "";
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src 'self';/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
      assert.match(csp, new RegExp(`connect-src 'self' ws://${new URL(api.url).host}`));
      assert.match(await res.text(), /<div id="root">/);
    }
  });

  it("caches hashed assets for a year, revalidates by etag, and keeps the API's 404 for unknown files and API paths", async () => {
    const html = await (await fetch(api.url)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, "index.html loads a hashed script");
    const res = await fetch(`${api.url}${script}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.match(res.headers.get("content-type") ?? "", /^text\/javascript/);
    const etag = res.headers.get("etag");
    assert.ok(etag);
    assert.equal((await fetch(`${api.url}/`, { headers: { "if-none-match": etag } })).status, 200, "another file's etag");
    assert.equal((await fetch(`${api.url}${script}`, { headers: { "if-none-match": etag } })).status, 304);

    for (const path of ["/assets/missing.js", "/nothing.csv", "/api/v2/query", "/graphql/extra"]) {
      const missing = await fetch(`${api.url}${path}`, { headers: { accept: "text/html" } });
      assert.equal(missing.status, 404, path);
      assert.equal(((await missing.json()) as { code: string }).code, "NOT_FOUND", path);
    }
    const notHtml = await fetch(`${api.url}/fleet`, { headers: { accept: "application/json" } });
    assert.equal(notHtml.status, 404, "a page path asked for as JSON");
    assert.equal(((await notHtml.json()) as { code: string }).code, "NOT_FOUND");
    const health = await fetch(`${api.url}/healthz`);
    assert.deepEqual(await health.json(), { status: "ok" });
  });

  it("sends the script brotli- or gzip-compressed to clients that accept it, and plain to others", async () => {
    const html = await (await fetch(api.url)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script);
    const raw = (acceptEncoding: string) =>
      new Promise<{ encoding: string | undefined; etag: string | undefined; vary: string | undefined; body: Buffer }>((resolve, reject) => {
        get(`${api.url}${script}`, { headers: { "accept-encoding": acceptEncoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              encoding: res.headers["content-encoding"],
              etag: res.headers.etag,
              vary: res.headers.vary,
              body: Buffer.concat(chunks),
            }),
          );
          res.on("error", reject);
        }).on("error", reject);
      });
    const plain = await raw("identity");
    const br = await raw("gzip, deflate, br");
    const gz = await raw("gzip");
    const refused = await raw("br;q=0, gzip;q=0");
    assert.equal(plain.encoding, undefined);
    assert.equal(br.encoding, "br");
    assert.equal(gz.encoding, "gzip");
    assert.equal(refused.encoding, undefined, "q=0 refuses an encoding");
    assert.equal(br.vary, "accept-encoding");
    assert.ok(brotliDecompressSync(br.body).equals(plain.body), "the brotli body is the script");
    assert.ok(gunzipSync(gz.body).equals(plain.body), "the gzip body is the script");
    assert.ok(br.body.length < plain.body.length / 2, `brotli ${br.body.length} bytes of ${plain.body.length}`);
    assert.equal(new Set([plain.etag, br.etag, gz.etag]).size, 3, "one entity tag per representation");
  });

  it("without a build, / says how to build the portal and the rest still answers", async () => {
    const app = Fastify();
    app.get("/healthz", async () => ({ status: "ok" }));
    await registerPortal(app, "/nonexistent/portal-build");
    const res = await app.inject({ method: "GET", url: "/" });
    assert.equal(res.statusCode, 404);
    assert.match(res.json<{ message: string }>().message, /npm run build/);
    assert.equal((await app.inject({ method: "GET", url: "/healthz" })).statusCode, 200);
    await app.close();
  });
});
