import { createRoute } from "@tanstack/react-router";
import { common, useT } from "../lib/i18n";
import { shellRoute } from "./shell";

function TeamPage() {
  const t = useT(common);
  return (
    <section aria-labelledby="team-title" className="page">
      <title>{t("app.title", { page: t("nav.team") })}</title>
      <h1 id="team-title">{t("nav.team")}</h1>
      <p className="muted">{t("page.comingSoon")}</p>
    </section>
  );
}

export const teamRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/team",
  component: TeamPage,
});

/** Every page of this area, for the route tree. */
export const teamRoutes = [teamRoute] as const;
