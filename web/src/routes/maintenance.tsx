import { createRoute } from "@tanstack/react-router";
import { MaintenanceLog } from "../features/maintenance/components/maintenance-log";
import { validateMaintenanceSearch } from "../features/maintenance/lib/search";
import { maintenanceMessages } from "../features/maintenance/messages";
import { useCurrentMember } from "../features/tenants/api/current-member";
import { common, useT } from "../lib/i18n";
import { useSession } from "../lib/session";
import { browserTimeZone } from "../lib/wall-time";
import { shellRoute } from "./shell";

/** The fleet's maintenance log: every asset's failures, repairs and inspections. */
function MaintenancePage() {
  const session = useSession();
  const search = maintenanceRoute.useSearch();
  const navigate = maintenanceRoute.useNavigate();
  const member = useCurrentMember(session?.token ?? "");
  const canWrite = member.data?.viewer.scopes.includes("assets:write") ?? false;
  const t = useT(maintenanceMessages);
  const c = useT(common);
  return (
    <section aria-labelledby="maintenance-title" className="page">
      <title>{c("app.title", { page: t("log.pageTitle") })}</title>
      <h1 id="maintenance-title">{t("log.title")}</h1>
      <p className="muted">{t("log.lead")}</p>
      <MaintenanceLog
        tenantId={session?.tenantId ?? ""}
        search={search}
        onSearch={(next) => void navigate({ search: next })}
        canWrite={canWrite}
        timeZone={browserTimeZone()}
      />
    </section>
  );
}

export const maintenanceRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/maintenance",
  validateSearch: validateMaintenanceSearch,
  component: MaintenancePage,
});
