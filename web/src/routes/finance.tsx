import { createRoute, Link } from "@tanstack/react-router";
import { common, useT } from "../lib/i18n";
import { financeMessages } from "./finance-messages";
import { shellRoute } from "./shell";

/** What the finance role may see: billing, not machines. */
function FinancePage() {
  const t = useT(financeMessages);
  const c = useT(common);
  return (
    <section aria-labelledby="finance-title" className="page">
      <title>{c("app.title", { page: c("nav.access") })}</title>
      <h1 id="finance-title">{t("finance.heading")}</h1>
      <p>{t("finance.intro")}</p>
      <ul>
        <li>
          <Link to="/billing">{c("nav.billing")}</Link>: {t("finance.plan")}
        </li>
        <li>
          <Link to="/usage">{c("nav.usage")}</Link>: {t("finance.usage")}
        </li>
        <li>
          <Link to="/team">{c("nav.team")}</Link>: {t("finance.members")}
        </li>
      </ul>
      <p>{t("finance.notHere")}</p>
    </section>
  );
}

export const financeRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/finance",
  component: FinancePage,
});
