import type { Browser, Page } from "playwright-core";
import { SignInDocument } from "../generated/graphql.js";
import { type Api, gqlOk, newClientAddress, PASSWORD } from "./harness.js";

/**
 * A portal tab in a browser context of the given locale, signed in through the API (sign-in is
 * asked for in the API, its answer kept as the portal keeps a session), so the page under test
 * is the first one the locale renders.
 */
export async function openSignedIn(browser: Browser, api: Api, email: string, locale: string): Promise<Page> {
  const { signIn } = await gqlOk(api, SignInDocument, { input: { email, password: PASSWORD } }, undefined, newClientAddress());
  const context = await browser.newContext({
    baseURL: api.url,
    locale,
    extraHTTPHeaders: { "x-forwarded-for": newClientAddress() },
    viewport: { width: 1100, height: 700 },
  });
  const session = {
    token: signIn.token,
    expiresAt: signIn.expiresAt,
    tenantId: signIn.tenantId,
    userId: signIn.userId,
    email,
    tenants: [],
  };
  await context.addInitScript((value) => {
    if (!sessionStorage.getItem("pdm.portal.session")) sessionStorage.setItem("pdm.portal.session", value);
  }, JSON.stringify(session));
  return context.newPage();
}

/** The whole page as a PNG into PORTAL_SCREENSHOTS (docs/portal when the pictures are refreshed); nothing when unset. */
export async function fullScreenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.PORTAL_SCREENSHOTS;
  if (!dir) return;
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

/** One part of the page (a section, by selector) as a PNG into PORTAL_SCREENSHOTS; nothing when unset. */
export async function partScreenshot(page: Page, selector: string, name: string): Promise<void> {
  const dir = process.env.PORTAL_SCREENSHOTS;
  if (!dir) return;
  await page.locator(selector).screenshot({ path: `${dir}/${name}.png` });
}

/** Money as the portal shows it: integer minor units to a decimal string (never a float), then Intl. */
export function formatMoney(minor: number, currency: string, tag: string): string {
  const digits = 2;
  const abs = BigInt(Math.abs(minor))
    .toString()
    .padStart(digits + 1, "0");
  const decimal = `${minor < 0 ? "-" : ""}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  return new Intl.NumberFormat(tag, { style: "currency", currency: currency.toUpperCase() }).format(decimal as unknown as number);
}
