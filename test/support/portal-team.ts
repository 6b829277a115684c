import type { Browser } from "playwright-core";
import type { PageWatch } from "./browser.js";
import { newClientAddress } from "./harness.js";

/** Who the page is signed in as: a token the API issued (sign-in or an accepted invitation). */
export interface SignedInMember {
  readonly token: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly email: string;
}

/**
 * A fresh browser context in `locale` (the portal's language follows it), already signed in as
 * `member` (the session the portal keeps in the tab, set before any script of the page runs), so a
 * page in another language is reached without depending on the sign-in page's words. It watches
 * requests to other origins and console errors like `openPortal`.
 */
export async function openSignedIn(browser: Browser, apiUrl: string, member: SignedInMember, locale: string): Promise<PageWatch> {
  const origin = new URL(apiUrl).origin;
  const context = await browser.newContext({
    baseURL: apiUrl,
    locale,
    extraHTTPHeaders: { "x-forwarded-for": newClientAddress() },
    viewport: { width: 1100, height: 700 },
  });
  const session = { ...member, expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(), tenants: [] };
  await context.addInitScript((value: string) => {
    if (!sessionStorage.getItem("pdm.portal.session")) sessionStorage.setItem("pdm.portal.session", value);
  }, JSON.stringify(session));
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
