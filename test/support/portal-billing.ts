import type { Page, Route } from "playwright-core";
import type { Db } from "../../src/db/client.js";

/**
 * Stripe's pages in the browser tests: every request that would leave 127.0.0.1 is answered by the
 * test itself (Stripe's hosted pages by a stand-in page, anything else refused), and recorded.
 */
export interface StripePages {
  /** Every URL the page tried to reach outside 127.0.0.1, in order. */
  readonly intercepted: string[];
}

const STAND_IN = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Stripe (test stand-in)</title></head><body><h1>Stripe (test stand-in)</h1></body></html>`;

export async function interceptStripe(page: Page): Promise<StripePages> {
  const intercepted: string[] = [];
  await page.route(
    (url) => url.hostname !== "127.0.0.1",
    (route: Route) => {
      const url = route.request().url();
      intercepted.push(url);
      // Stripe's hosted pages (Checkout, the Customer Portal, whose host stripe-mock makes up) are navigations.
      if (url.startsWith("https://") && route.request().resourceType() === "document") {
        return route.fulfill({ status: 200, contentType: "text/html", body: STAND_IN });
      }
      return route.abort("blockedbyclient");
    },
  );
  return { intercepted };
}

/**
 * Moves a tenant's overdue payment back by the grace period and a day, as the owner connection:
 * what the passing of the grace period looks like to the billing rules (they compare the time the
 * payment became overdue, plus BILLING_GRACE_DAYS, with now).
 */
export async function movePastGrace(owner: Db, tenantId: string, graceDays: number): Promise<void> {
  await owner.sql`update billing_accounts set past_due_since = past_due_since - make_interval(days => ${graceDays + 1})
    where tenant_id = ${tenantId} and past_due_since is not null`;
}
