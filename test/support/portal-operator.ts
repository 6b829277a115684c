import type { Browser, Page } from "playwright-core";
import type { PageWatch } from "./browser.js";
import { newClientAddress, PASSWORD } from "./harness.js";

/**
 * As openPortal (test/support/browser.ts), in a browser whose language is `locale` (the portal
 * picks German for "de-DE"): a fresh context on the API's origin, watched for foreign requests and
 * console errors.
 */
export async function openPortalIn(browser: Browser, apiUrl: string, locale: string): Promise<PageWatch> {
  const origin = new URL(apiUrl).origin;
  const context = await browser.newContext({
    baseURL: apiUrl,
    extraHTTPHeaders: { "x-forwarded-for": newClientAddress() },
    viewport: { width: 1100, height: 700 },
    locale,
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

/** The operator session the console keeps in the tab (its own key, not the member's). */
export async function operatorSession(page: Page): Promise<{ token: string; operator: { id: string; role: string } }> {
  const raw = await page.evaluate(() => sessionStorage.getItem("pdm.operator.session"));
  if (!raw) throw new Error("the console holds no operator session");
  return JSON.parse(raw) as { token: string; operator: { id: string; role: string } };
}

/** Fills the operator sign-in form (English labels unless given) and sends it. */
export async function signInOperator(
  page: Page,
  email: string,
  labels: { email: string; password: string; submit: string } = { email: "Email", password: "Password", submit: "Sign in" },
): Promise<void> {
  await page.getByLabel(labels.email).fill(email);
  await page.getByLabel(labels.password).fill(PASSWORD);
  await page.getByRole("button", { name: labels.submit }).click();
}

/** Answers the console's "Why do you need this access?" and waits for the note that it is logged. */
export async function giveReason(
  page: Page,
  reason: string,
  labels = { field: "Why do you need this access?", submit: "Show" },
): Promise<void> {
  await page.getByLabel(labels.field).fill(reason);
  await page.getByRole("button", { name: labels.submit, exact: true }).click();
  await page.getByTestId("reason-logged").waitFor();
}

/** The text of an amount in minor units as en-US formats it, from the integer (no floating point). */
export function enMoney(minor: number, currency: string): string {
  const digits = String(Math.abs(minor)).padStart(3, "0");
  const decimal = `${minor < 0 ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`;
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(decimal as `${number}`);
}
