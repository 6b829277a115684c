import { ErrorNotice } from "../../../components/error-notice";
import { common, useFormat, useT } from "../../../lib/i18n";
import { useWebhookDeliveries } from "../api/webhooks";
import { developersMessages } from "../messages";

/** A webhook's latest deliveries: when, which event, the result with the receiver's status, attempts and retries. */
export function DeliveryLog({ tenantId, webhookId, url }: { tenantId: string; webhookId: string; url: string }) {
  const t = useT(developersMessages);
  const c = useT(common);
  const format = useFormat();
  const log = useWebhookDeliveries(tenantId, webhookId);
  // English and German: "one" is exactly 1.
  const retries = (n: number) => t(n === 1 ? "log.retries.one" : "log.retries.other", { count: format.number(n) });
  if (log.isPending) return <p aria-busy="true">{t("log.loading")}</p>;
  if (log.isError)
    return (
      <>
        <ErrorNotice error={log.error} title={t("log.error")} />
        <button type="button" onClick={() => void log.refetch()}>
          {c("action.retry")}
        </button>
      </>
    );
  return (
    <div className="delivery-log">
      <div className="log-head">
        <h4>{t("log.title")}</h4>
        <button type="button" onClick={() => void log.refetch()} disabled={log.isFetching}>
          {t("log.refresh")}
        </button>
      </div>
      {log.data.length === 0 ? (
        <p className="empty">{t("log.empty")}</p>
      ) : (
        <table data-webhook-log={webhookId}>
          <caption className="visually-hidden">{t("log.caption", { url })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("log.col.time")}</th>
              <th scope="col">{t("log.col.event")}</th>
              <th scope="col">{t("log.col.status")}</th>
              <th scope="col">{t("log.col.code")}</th>
              <th scope="col">{t("log.col.attempts")}</th>
              <th scope="col">{t("log.col.lastAttempt")}</th>
            </tr>
          </thead>
          <tbody>
            {log.data.map((d) => (
              <tr
                key={d.id}
                data-delivery-id={d.id}
                data-status={d.status}
                data-status-code={d.statusCode ?? ""}
                data-attempts={d.attempts}
              >
                <td>
                  <time dateTime={d.createdAt}>{format.dateTime(d.createdAt)}</time>
                </td>
                <td>
                  {t(`log.event.${d.event}`)}
                  <br />
                  <code className="muted small">{d.id}</code>
                </td>
                <td>
                  <span className={`badge delivery-${d.status.toLowerCase()}`}>{t(`log.status.${d.status}`)}</span>
                  {d.lastOutcome && d.lastOutcome !== "DELIVERED" && (
                    <span className="muted small block">{t(`outcome.${d.lastOutcome}`)}</span>
                  )}
                </td>
                <td>{d.statusCode ?? <span className="muted">{t("log.noCode")}</span>}</td>
                <td>
                  {format.number(d.attempts)}
                  {d.attempts > 1 && <span className="muted small block">{retries(d.attempts - 1)}</span>}
                </td>
                <td>{d.lastAttemptAt ? <time dateTime={d.lastAttemptAt}>{format.dateTime(d.lastAttemptAt)}</time> : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
