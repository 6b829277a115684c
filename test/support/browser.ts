import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { newClientAddress, PASSWORD } from "./harness.js";

/** Debian's Chromium, installed by `./run stack up` with the other system packages. */
export const CHROMIUM = "/usr/bin/chromium";

export async function launchChromium(): Promise<Browser> {
  // Chromium's sandbox needs an unprivileged user; as root it refuses to start without this.
  const args = process.getuid?.() === 0 ? ["--no-sandbox"] : [];
  return chromium.launch({ executablePath: CHROMIUM, args });
}

/** What a page did that a test forbids: requests to another origin, console errors, uncaught exceptions. */
export interface PageWatch {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly foreignRequests: string[];
  readonly consoleErrors: string[];
}

/**
 * A fresh browser context (its own storage) on the API's origin, from a client address of its
 * own (the API trusts the loopback proxy's X-Forwarded-For), so sign-up throttling stays per test.
 */
export async function openPortal(browser: Browser, apiUrl: string, options: { timezoneId?: string } = {}): Promise<PageWatch> {
  const origin = new URL(apiUrl).origin;
  const context = await browser.newContext({
    baseURL: apiUrl,
    extraHTTPHeaders: { "x-forwarded-for": newClientAddress() },
    viewport: { width: 1100, height: 700 },
    ...options,
  });
  const page = await context.newPage();
  const foreignRequests: string[] = [];
  const consoleErrors: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).origin !== origin) foreignRequests.push(request.url());
  });
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
  return { page, context, foreignRequests, consoleErrors };
}

/** The session the portal keeps in the tab (its access token, tenant and user). */
export async function portalSession(page: Page): Promise<{ token: string; tenantId: string; userId: string; email: string }> {
  const raw = await page.evaluate(() => sessionStorage.getItem("pdm.portal.session"));
  if (!raw) throw new Error("the portal holds no session");
  return JSON.parse(raw) as { token: string; tenantId: string; userId: string; email: string };
}

const require = createRequire(import.meta.url);

/** axe-core's accessibility violations on the page, from the npm package (evaluated, so the page's CSP stays untouched). */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string | null; nodes: number }[]> {
  const source = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
  await page.evaluate(source);
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> };
      }
    ).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
}

/** A PNG of the page into PORTAL_SCREENSHOTS (docs/portal when the pictures are refreshed); nothing when unset. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.PORTAL_SCREENSHOTS;
  if (!dir) return;
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: false });
}

/**
 * The controls on the page that would change something (record, acknowledge, create, invite, …):
 * buttons by their names, forms other than filters and a custom range, checkboxes in tables and text areas.
 * A role that may only read must see none.
 */
export async function writeControls(page: Page): Promise<string[]> {
  const readOnlyButtons = /^(sign out|refresh|load more|loading more…|try again|reconnect|download csv|preparing csv…|show)$/i;
  const buttons = await page
    .locator("button, input[type=submit], input[type=button]")
    .evaluateAll((els) => els.map((e) => (e.getAttribute("aria-label") ?? e.getAttribute("value") ?? e.textContent ?? "").trim()));
  const forms = await page.locator("form").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? e.className));
  const others = await page
    .locator("main table input[type=checkbox], main textarea")
    .evaluateAll((els) => els.map((e) => `${e.tagName.toLowerCase()} ${e.getAttribute("aria-label") ?? ""}`.trim()));
  return [
    ...buttons.filter((name) => !readOnlyButtons.test(name)).map((name) => `button "${name}"`),
    ...forms.filter((label) => !/^(filters|custom range)$/i.test(label)).map((label) => `form "${label}"`),
    ...others,
  ];
}

/** Every page stays on the API's origin and logs no error (a Content-Security-Policy refusal is one). */
export function assertClean(watch: PageWatch, allowed: RegExp[] = []): void {
  assert.deepEqual(watch.foreignRequests, [], "requests to another origin");
  assert.deepEqual(
    watch.consoleErrors.filter((e) => !allowed.some((a) => a.test(e))),
    [],
    "console errors",
  );
}

/** Fills the sign-in form of the page and sends it. */
export async function signIn(watch: PageWatch, email: string): Promise<void> {
  await watch.page.getByLabel("Email").fill(email);
  await watch.page.getByLabel("Password").fill(PASSWORD);
  await watch.page.getByRole("button", { name: "Sign in" }).click();
}
