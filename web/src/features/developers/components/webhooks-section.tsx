import { ErrorNotice } from "../../../components/error-notice";
import { common, useFormat, useT } from "../../../lib/i18n";
import { useDisableWebhook, useSendTestWebhook, useWebhooks } from "../api/webhooks";
import { developersMessages } from "../messages";
import type { DeveloperViewer } from "./api-keys-section";
import { ConfirmAction } from "./confirm-action";
import { CreateWebhookForm } from "./create-webhook-form";
import { DeliveryLog } from "./delivery-log";

/** The live webhooks, each with its test button, its disable button (tenant:write) and its delivery log. */
export function WebhooksSection({ viewer }: { viewer: DeveloperViewer }) {
  const t = useT(developersMessages);
  const c = useT(common);
  const canRead = viewer.scopes.includes("tenant:read");
  const canWrite = viewer.scopes.includes("tenant:write");
  const hooks = useWebhooks(viewer.tenantId, canRead);
  const disable = useDisableWebhook(viewer.tenantId);
  if (!canRead) return null;
  return (
    <section aria-labelledby="hooks-title" className="developer-section">
      <h2 id="hooks-title">{t("hooks.title")}</h2>
      <p className="muted">{t("hooks.intro")}</p>
      {canWrite ? (
        <details className="create-panel">
          <summary>{t("hooks.create")}</summary>
          <CreateWebhookForm tenantId={viewer.tenantId} />
        </details>
      ) : (
        <p className="notice">{t("hooks.readOnly")}</p>
      )}
      {disable.error && <ErrorNotice error={disable.error} title={t("hooks.disableError")} />}
      {hooks.isPending ? (
        <p aria-busy="true">{t("hooks.loading")}</p>
      ) : hooks.isError ? (
        <>
          <ErrorNotice error={hooks.error} title={t("hooks.error")} />
          <button type="button" onClick={() => void hooks.refetch()}>
            {c("action.retry")}
          </button>
        </>
      ) : hooks.data.length === 0 ? (
        <p className="empty">{t("hooks.empty")}</p>
      ) : (
        <ul className="webhook-list">
          {hooks.data.map((hook) => (
            <WebhookItem
              key={hook.id}
              tenantId={viewer.tenantId}
              hook={hook}
              canWrite={canWrite}
              disabling={disable.isPending}
              onDisable={() => disable.mutate(hook.id)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function WebhookItem({
  tenantId,
  hook,
  canWrite,
  disabling,
  onDisable,
}: {
  tenantId: string;
  hook: { id: string; url: string; createdAt: string };
  canWrite: boolean;
  disabling: boolean;
  onDisable: () => void;
}) {
  const t = useT(developersMessages);
  const format = useFormat();
  const test = useSendTestWebhook(tenantId, hook.id);
  return (
    <li className="webhook" data-webhook-id={hook.id}>
      <div className="webhook-head">
        <div>
          <h3>
            <code>{hook.url}</code>
          </h3>
          <p className="muted small">{t("hooks.createdAt", { when: format.dateTime(hook.createdAt) })}</p>
        </div>
        {canWrite && (
          <div className="webhook-actions">
            <button
              type="button"
              aria-label={t("hooks.testLabel", { url: hook.url })}
              disabled={test.isPending}
              onClick={() => test.mutate()}
            >
              {test.isPending ? t("hooks.testing") : t("hooks.test")}
            </button>
            <ConfirmAction
              label={t("hooks.disable")}
              ariaLabel={t("hooks.disableLabel", { url: hook.url })}
              question={t("hooks.confirmQuestion")}
              confirm={t("hooks.confirmDisable")}
              busy={disabling}
              onConfirm={onDisable}
            />
          </div>
        )}
      </div>
      {test.data && (
        <p role="status" className={`notice ${test.data.status === "DELIVERED" ? "notice-success" : "notice-warning"}`}>
          {test.data.status === "DELIVERED"
            ? t("hooks.testDone", { status: test.data.statusCode ?? "" })
            : t("hooks.testFailed", {
                outcome: `${t(`outcome.${test.data.lastOutcome ?? "FAILED"}`)}${test.data.statusCode ? ` (${test.data.statusCode})` : ""}`,
              })}
        </p>
      )}
      {test.error && <ErrorNotice error={test.error} title={t("hooks.testError")} />}
      <DeliveryLog tenantId={tenantId} webhookId={hook.id} url={hook.url} />
    </li>
  );
}
