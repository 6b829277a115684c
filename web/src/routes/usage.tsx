import { createRoute } from "@tanstack/react-router";
import { common, useT } from "../lib/i18n";
import { shellRoute } from "./shell";

function UsagePage() {
  const t = useT(common);
  return (
    <section aria-labelledby="usage-title" className="page">
      <title>{t("app.title", { page: t("nav.usage") })}</title>
      <h1 id="usage-title">{t("nav.usage")}</h1>
      <p className="muted">{t("page.comingSoon")}</p>
    </section>
  );
}

export const usageRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/usage",
  component: UsagePage,
});

/** Every page of this area, for the route tree. */
export const usageRoutes = [usageRoute] as const;
