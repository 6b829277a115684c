import { createRoute } from "@tanstack/react-router";
import { common, useT } from "../lib/i18n";
import { shellRoute } from "./shell";

function DevelopersPage() {
  const t = useT(common);
  return (
    <section aria-labelledby="developers-title" className="page">
      <title>{t("app.title", { page: t("nav.developers") })}</title>
      <h1 id="developers-title">{t("nav.developers")}</h1>
      <p className="muted">{t("page.comingSoon")}</p>
    </section>
  );
}

export const developersRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/developers",
  component: DevelopersPage,
});

/** Every page of this area, for the route tree. */
export const developersRoutes = [developersRoute] as const;
