import { createRoute } from "@tanstack/react-router";
import { common, useT } from "../lib/i18n";
import { shellRoute } from "./shell";

function BillingPage() {
  const t = useT(common);
  return (
    <section aria-labelledby="billing-title" className="page">
      <title>{t("app.title", { page: t("nav.billing") })}</title>
      <h1 id="billing-title">{t("nav.billing")}</h1>
      <p className="muted">{t("page.comingSoon")}</p>
    </section>
  );
}

export const billingRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/billing",
  component: BillingPage,
});

/** Every page of this area, for the route tree. */
export const billingRoutes = [billingRoute] as const;
