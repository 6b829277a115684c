import { createRoute, Link } from "@tanstack/react-router";
import { useMemo } from "react";
import { ErrorNotice } from "../components/error-notice";
import { useTypeModels } from "../features/models/api/models";
import { useModelVersionNumbers } from "../features/models/api/version-numbers";
import { AlertRuleCard } from "../features/models/components/alert-rule-card";
import { DriftChecks } from "../features/models/components/drift-checks";
import { ModelVersions } from "../features/models/components/model-versions";
import { ScheduleCard } from "../features/models/components/schedule-card";
import { TrainingPanel } from "../features/models/components/training-panel";
import { modelsMessages } from "../features/models/messages";
import { useCurrentMember } from "../features/tenants/api/current-member";
import { isNotFound } from "../lib/graphql";
import { common, useT } from "../lib/i18n";
import { useSession } from "../lib/session";
import { shellRoute } from "./shell";

/** One asset type's models: versions, training, schedules, drift checks and alert rules. */
function ModelsTypePage() {
  const t = useT(modelsMessages);
  const c = useT(common);
  const session = useSession();
  const tenantId = session?.tenantId ?? "";
  const { assetTypeId } = modelsTypeRoute.useParams();
  const member = useCurrentMember(session?.token ?? "");
  const scopes = member.data?.viewer.scopes ?? [];
  const canWrite = scopes.includes("models:write");
  const canPromote = scopes.includes("models:promote");
  const models = useTypeModels(tenantId, assetTypeId);
  const modelIds = useMemo(() => (models.data?.models ?? []).map((m) => m.id), [models.data]);
  const versionNumbers = useModelVersionNumbers(tenantId, modelIds);
  const name = models.data?.assetType.name;
  return (
    <section aria-labelledby="models-type-title" className="page models-page">
      <title>{c("app.title", { page: name ? t("type.title", { name }) : t("page.title") })}</title>
      <nav aria-label={t("crumbs.label")} className="crumbs">
        <Link to="/models">{t("page.title")}</Link> ›
      </nav>
      <h1 id="models-type-title">{name ? t("type.title", { name }) : t("page.title")}</h1>
      {models.isPending && <p className="muted">{c("state.loading")}</p>}
      {models.isError &&
        (isNotFound(models.error) ? (
          <div className="empty" data-empty="not-found">
            <p>{t("type.notFound")}</p>
            <Link to="/models">{t("type.back")}</Link>
          </div>
        ) : (
          <ErrorNotice error={models.error} title={t("error.load")} />
        ))}
      {models.data && (
        <>
          <p className="muted">{t("type.intro")}</p>
          <section aria-labelledby="versions-title" className="models-list">
            <h2 id="versions-title">{t("versions.title")}</h2>
            {models.data.models.length === 0 && (
              <p className="empty" data-empty="no-model">
                {t("model.none")}
              </p>
            )}
            {models.data.models.map((model) => (
              <ModelVersions key={model.id} tenantId={tenantId} model={model} canPromote={canPromote} />
            ))}
          </section>
          <TrainingPanel tenantId={tenantId} assetTypeId={assetTypeId} canWrite={canWrite} versionNumbers={versionNumbers} />
          <div className="settings-row">
            <ScheduleCard tenantId={tenantId} assetTypeId={assetTypeId} canWrite={canWrite} />
            <AlertRuleCard tenantId={tenantId} assetTypeId={assetTypeId} canWrite={canWrite} />
          </div>
          <DriftChecks tenantId={tenantId} assetTypeId={assetTypeId} versionNumbers={versionNumbers} />
        </>
      )}
    </section>
  );
}

export const modelsTypeRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/models/$assetTypeId",
  component: ModelsTypePage,
});
