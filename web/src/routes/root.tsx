import type { QueryClient } from "@tanstack/react-query";
import { createRootRouteWithContext, Link, Outlet } from "@tanstack/react-router";
import { LanguageSwitch } from "../components/language-switch";
import { common, useT } from "../lib/i18n";

export interface RouterContext {
  readonly queryClient: QueryClient;
}

function NotFound() {
  const t = useT(common);
  return (
    <main className="centered">
      <title>{t("app.title", { page: t("notFound.title") })}</title>
      <LanguageSwitch />
      <h1>{t("notFound.title")}</h1>
      <p>
        {t("notFound.text")} <Link to="/">{t("notFound.home")}</Link>.
      </p>
    </main>
  );
}

export const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFound,
});
