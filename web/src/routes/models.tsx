import { createRoute } from "@tanstack/react-router";
import { common, useT } from "../lib/i18n";
import { shellRoute } from "./shell";

function ModelsPage() {
  const t = useT(common);
  return (
    <section aria-labelledby="models-title" className="page">
      <title>{t("app.title", { page: t("nav.models") })}</title>
      <h1 id="models-title">{t("nav.models")}</h1>
      <p className="muted">{t("page.comingSoon")}</p>
    </section>
  );
}

export const modelsRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/models",
  component: ModelsPage,
});

/** Every page of this area, for the route tree. */
export const modelsRoutes = [modelsRoute] as const;
