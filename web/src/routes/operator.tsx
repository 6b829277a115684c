import { createRoute } from "@tanstack/react-router";
import { common, useT } from "../lib/i18n";
import { rootRoute } from "./root";

/** The machine maker's own staff: a separate area with its own sign-in. */
function OperatorPage() {
  const t = useT(common);
  return (
    <main className="centered">
      <title>{t("app.title", { page: "Operator" })}</title>
      <h1>Operator</h1>
      <p className="muted">{t("page.comingSoon")}</p>
    </main>
  );
}

export const operatorRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/operator",
  component: OperatorPage,
});

/** Every page of the operator console, for the route tree. */
export const operatorRoutes = [operatorRoute] as const;
