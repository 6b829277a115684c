import { createRoute, Navigate } from "@tanstack/react-router";
import { ErrorNotice } from "../components/error-notice";
import { useCurrentMember } from "../features/tenants/api/current-member";
import { common, useT } from "../lib/i18n";
import { useSession } from "../lib/session";
import { shellRoute } from "./shell";

/** The landing page by role: finance to what it may see, everyone else to the fleet. */
function Home() {
  const session = useSession();
  const member = useCurrentMember(session?.token ?? "");
  const t = useT(common);
  if (member.isError) return <ErrorNotice error={member.error} title={t("error.account")} />;
  if (!member.data) return <p role="status">{t("state.loading")}</p>;
  return member.data.viewer.role === "FINANCE" ? <Navigate to="/finance" replace /> : <Navigate to="/fleet" search={{}} replace />;
}

export const homeRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/",
  component: Home,
});
