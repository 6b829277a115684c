import { createRoute } from "@tanstack/react-router";
import { ModelsOverviewTable } from "../features/models/components/overview-table";
import { modelsMessages } from "../features/models/messages";
import { common, useT } from "../lib/i18n";
import { useSession } from "../lib/session";
import { modelsTypeRoute } from "./models-type";
import { shellRoute } from "./shell";

/** Every asset type with its models; each opens the type's own page. */
function ModelsPage() {
  const t = useT(modelsMessages);
  const c = useT(common);
  const session = useSession();
  return (
    <section aria-labelledby="models-title" className="page models-page">
      <title>{c("app.title", { page: t("page.title") })}</title>
      <h1 id="models-title">{t("page.title")}</h1>
      <p className="muted">{t("page.intro")}</p>
      <ModelsOverviewTable tenantId={session?.tenantId ?? ""} />
    </section>
  );
}

export const modelsRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/models",
  component: ModelsPage,
});

/** Every page of this area, for the route tree. */
export const modelsRoutes = [modelsRoute, modelsTypeRoute] as const;
