import { createRoute } from "@tanstack/react-router";
import { common, useT } from "../lib/i18n";
import { shellRoute } from "./shell";

function DevicesPage() {
  const t = useT(common);
  return (
    <section aria-labelledby="devices-title" className="page">
      <title>{t("app.title", { page: t("nav.devices") })}</title>
      <h1 id="devices-title">{t("nav.devices")}</h1>
      <p className="muted">{t("page.comingSoon")}</p>
    </section>
  );
}

export const devicesRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/devices",
  component: DevicesPage,
});

/** Every page of this area, for the route tree. */
export const devicesRoutes = [devicesRoute] as const;
