import { createRoute } from "@tanstack/react-router";
import { ErrorNotice } from "../components/error-notice";
import { ApiKeysSection } from "../features/developers/components/api-keys-section";
import { GraphqlSection } from "../features/developers/components/graphql-section";
import { WebhooksSection } from "../features/developers/components/webhooks-section";
import { developersMessages } from "../features/developers/messages";
import "../features/developers/styles.css";
import { useCurrentMember } from "../features/tenants/api/current-member";
import { common, useT } from "../lib/i18n";
import { useSession } from "../lib/session";
import { shellRoute } from "./shell";

/** API keys, alert webhooks with their delivery logs, and where the GraphQL API is. */
function DevelopersPage() {
  const t = useT(developersMessages);
  const c = useT(common);
  const session = useSession();
  const member = useCurrentMember(session?.token ?? "");
  const endpoint = `${window.location.origin}/graphql`;
  return (
    <section aria-labelledby="developers-title" className="page developers">
      <title>{c("app.title", { page: t("page.title") })}</title>
      <h1 id="developers-title">{t("page.title")}</h1>
      <p className="muted">{t("page.intro")}</p>
      {member.isPending ? (
        <p aria-busy="true">{c("state.loading")}</p>
      ) : member.isError ? (
        <ErrorNotice error={member.error} title={c("error.account")} />
      ) : (
        <>
          <ApiKeysSection viewer={{ tenantId: member.data.viewer.tenantId ?? "", scopes: member.data.viewer.scopes }} endpoint={endpoint} />
          <WebhooksSection viewer={{ tenantId: member.data.viewer.tenantId ?? "", scopes: member.data.viewer.scopes }} />
          <GraphqlSection endpoint={endpoint} />
        </>
      )}
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
