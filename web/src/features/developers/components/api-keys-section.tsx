import { ErrorNotice } from "../../../components/error-notice";
import { common, useFormat, useT } from "../../../lib/i18n";
import { useApiKeys, useRevokeApiKey } from "../api/api-keys";
import { useMemberNames } from "../api/members";
import { developersMessages } from "../messages";
import { ConfirmAction } from "./confirm-action";
import { CreateKeyForm } from "./create-key-form";

/** How a key is recognised without its secret: its public prefix in the key's own form. */
const shownKey = (prefix: string): string => `pdm_${prefix}_…`;

export interface DeveloperViewer {
  readonly tenantId: string;
  readonly scopes: readonly string[];
}

/** The tenant's API keys: the form to create one (apikeys:write), the list with last use, revoke. */
export function ApiKeysSection({ viewer, endpoint }: { viewer: DeveloperViewer; endpoint: string }) {
  const t = useT(developersMessages);
  const c = useT(common);
  const format = useFormat();
  const canWrite = viewer.scopes.includes("apikeys:write");
  const keys = useApiKeys(viewer.tenantId, true);
  const names = useMemberNames(viewer.tenantId, viewer.scopes.includes("members:read"));
  const revoke = useRevokeApiKey(viewer.tenantId);
  const rows = keys.data?.pages.flatMap((p) => p.edges.map((e) => e.node)) ?? [];

  return (
    <section aria-labelledby="keys-title" className="developer-section">
      <h2 id="keys-title">{t("keys.title")}</h2>
      <p className="muted">{t("keys.intro")}</p>
      {canWrite ? (
        <details className="create-panel">
          <summary>{t("keys.create")}</summary>
          <CreateKeyForm tenantId={viewer.tenantId} ownScopes={viewer.scopes} endpoint={endpoint} />
        </details>
      ) : (
        <p className="notice">{t("keys.readOnly")}</p>
      )}
      {revoke.error && <ErrorNotice error={revoke.error} title={t("keys.revokeError")} />}
      {keys.isPending ? (
        <p aria-busy="true">{t("keys.loading")}</p>
      ) : keys.isError ? (
        <>
          <ErrorNotice error={keys.error} title={t("keys.error")} />
          <button type="button" onClick={() => void keys.refetch()}>
            {c("action.retry")}
          </button>
        </>
      ) : rows.length === 0 ? (
        <p className="empty">{t("keys.empty")}</p>
      ) : (
        <div className="table-scroll">
          <table className="api-keys">
            <caption className="visually-hidden">{t("keys.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("keys.col.name")}</th>
                <th scope="col">{t("keys.col.key")}</th>
                <th scope="col">{t("keys.col.scopes")}</th>
                <th scope="col">{t("keys.col.created")}</th>
                <th scope="col">{t("keys.col.lastUsed")}</th>
                <th scope="col">{t("keys.col.status")}</th>
                {canWrite && <th scope="col">{t("keys.col.actions")}</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((key) => (
                <tr key={key.id} data-key-id={key.id} data-revoked={key.revokedAt ? "true" : "false"}>
                  <td>{key.name}</td>
                  <td>
                    <code>{shownKey(key.prefix)}</code>
                  </td>
                  <td>
                    <ul className="scope-list">
                      {key.scopes.map((s) => (
                        <li key={s}>
                          <code>{s}</code>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <time dateTime={key.createdAt}>{format.dateTime(key.createdAt)}</time>
                    <br />
                    <span className="muted">{t("keys.by", { who: names.data?.get(key.createdBy) ?? key.createdBy })}</span>
                  </td>
                  <td>{key.lastUsedAt ? <time dateTime={key.lastUsedAt}>{format.dateTime(key.lastUsedAt)}</time> : t("keys.never")}</td>
                  <td>
                    {key.revokedAt ? (
                      <span className="badge badge-off">{t("keys.revokedAt", { when: format.dateTime(key.revokedAt) })}</span>
                    ) : (
                      <span className="badge badge-on">{t("keys.active")}</span>
                    )}
                  </td>
                  {canWrite && (
                    <td>
                      {!key.revokedAt && (
                        <ConfirmAction
                          label={t("keys.revoke")}
                          ariaLabel={t("keys.revokeLabel", { name: key.name })}
                          question={t("keys.confirmQuestion", { name: key.name })}
                          confirm={t("keys.confirmRevoke")}
                          busy={revoke.isPending}
                          onConfirm={() => revoke.mutate(key.id)}
                        />
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {keys.hasNextPage && (
        <button type="button" disabled={keys.isFetchingNextPage} onClick={() => void keys.fetchNextPage()}>
          {t("keys.more")}
        </button>
      )}
    </section>
  );
}
