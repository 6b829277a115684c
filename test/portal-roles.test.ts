import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { assertClean, launchChromium, openPortal, signIn, writeControls } from "./support/browser.js";
import { type Api, addMember, newFleet, newTenant, startApi } from "./support/harness.js";

// The roles that may only read, walked through every link their navigation shows: no control that
// writes on any of them, and the navigation itself follows the role's scopes.

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

/** The links of the shell's main navigation, as the page shows them (path and name). */
async function navLinks(page: Page): Promise<{ path: string; name: string }[]> {
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link").first().waitFor();
  return nav
    .getByRole("link")
    .evaluateAll((links) => links.map((a) => ({ path: a.getAttribute("href") ?? "", name: (a.textContent ?? "").trim() })));
}

/** Opens each navigation link in turn (by clicking it), waits until the page settled and collects its write controls. */
async function walk(page: Page, links: readonly { path: string; name: string }[]): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const link of links) {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link.name, exact: true }).click();
    await page.waitForURL((url) => url.pathname === link.path);
    await page.locator("main h1").first().waitFor();
    await page.waitForLoadState("networkidle");
    await page.locator('[role="status"]:has-text("…")').first().waitFor({ state: "detached" });
    found[link.path] = await writeControls(page);
  }
  return found;
}

describe("roles that only read", () => {
  it("a viewer and a finance member see no write control on any page of their navigation; each navigation follows the role", async () => {
    const owner = await newTenant(api, "Read Only Works");
    await newFleet(api, owner, { assets: 2 });
    const viewer = await addMember(api, owner, "VIEWER");
    const finance = await addMember(api, owner, "FINANCE");

    const viewerWatch = await openPortal(browser, api.url);
    await viewerWatch.page.goto("/");
    await signIn(viewerWatch, viewer.email);
    const viewerLinks = await navLinks(viewerWatch.page);
    const viewerPaths = viewerLinks.map((l) => l.path);
    for (const path of ["/fleet", "/alerts", "/maintenance"]) assert.ok(viewerPaths.includes(path), `the viewer has ${path}`);
    for (const path of ["/billing", "/usage"]) assert.ok(!viewerPaths.includes(path), `the viewer has no ${path}`);
    const viewerControls = await walk(viewerWatch.page, viewerLinks);
    assert.deepEqual(Object.keys(viewerControls), viewerPaths, "every link visited");
    for (const [path, controls] of Object.entries(viewerControls)) assert.deepEqual(controls, [], `the viewer's ${path}`);
    assertClean(viewerWatch);
    await viewerWatch.context.close();

    const financeWatch = await openPortal(browser, api.url);
    await financeWatch.page.goto("/");
    await signIn(financeWatch, finance.email);
    const financeLinks = await navLinks(financeWatch.page);
    const financePaths = financeLinks.map((l) => l.path);
    for (const path of ["/billing", "/usage"]) assert.ok(financePaths.includes(path), `finance has ${path}`);
    for (const path of ["/fleet", "/alerts", "/maintenance", "/models", "/devices"]) {
      assert.ok(!financePaths.includes(path), `finance has no ${path}`);
    }
    const financeControls = await walk(financeWatch.page, financeLinks);
    assert.deepEqual(Object.keys(financeControls), financePaths, "every link visited");
    // Finance pays: on the billing page (and only there) it may subscribe and manage the payment, nothing else.
    const paying = /^button "(Subscribe to .+|Manage payment)"$/;
    const { "/billing": billingControls = [], ...others } = financeControls;
    assert.ok(billingControls.length > 0, "finance may subscribe on /billing");
    assert.deepEqual(
      billingControls.filter((c) => !paying.test(c)),
      [],
      "finance's /billing holds only subscribing and payment",
    );
    for (const [path, controls] of Object.entries(others)) assert.deepEqual(controls, [], `finance's ${path}`);
    assertClean(financeWatch);
    await financeWatch.context.close();
  });

  it("the check finds an owner's write controls on the same walk, so it can fail", async () => {
    const owner = await newTenant(api, "Writing Works");
    await newFleet(api, owner, { assets: 1 });
    const watch = await openPortal(browser, api.url);
    await watch.page.goto("/");
    await signIn(watch, owner.ownerEmail);
    const controls = await walk(watch.page, await navLinks(watch.page));
    assert.ok((controls["/maintenance"] ?? []).length > 0, "recording maintenance is a write control");
    await watch.context.close();
  });
});
