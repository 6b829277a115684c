import "../styles.css";
import { ErrorNotice } from "../../../components/error-notice";
import { common, useFormat, useT } from "../../../lib/i18n";
import type { AuditRow } from "../api/audit-log";
import { useAuditLog } from "../api/audit-log";
import type { TeamMember } from "../api/members";
import { ACTION_FAMILIES, ACTOR_KINDS, type AuditSearch, badRange, toAuditQuery } from "../lib/audit-search";
import { plural } from "../lib/plural";
import { type TeamKey, teamMessages } from "../messages";
import { AuditDetails } from "./audit-details";

const ACTOR_LABEL: Record<(typeof ACTOR_KINDS)[number], TeamKey> = {
  operator: "audit.filter.operators",
  api_key: "audit.filter.apiKeys",
  workflow: "audit.filter.workflows",
};

const KNOWN_ACTOR_KINDS = new Set(["user", "api_key", "operator", "workflow", "device"]);

function Who({ entry }: { entry: AuditRow }) {
  const t = useT(teamMessages);
  const kind = KNOWN_ACTOR_KINDS.has(entry.actorKind) ? (entry.actorKind as "user") : "other";
  if (entry.actorKind === "operator") {
    return (
      <>
        <span className="badge audit-operator">{t("audit.operatorActor")}</span>
        <br />
        <code className="muted">{entry.actorId}</code>
      </>
    );
  }
  const name = entry.actorName ?? (entry.actorKind === "user" ? t("audit.formerMember") : undefined);
  // A name is what a person reads; the id stays at hand in the title (and in the filter's address).
  return name ? (
    <span title={entry.actorId}>
      {name}
      <br />
      <span className="muted">{t(`audit.actor.${kind}`)}</span>
    </span>
  ) : (
    <>
      {t(`audit.actor.${kind}`)}
      <br />
      <code className="muted">{entry.actorId}</code>
    </>
  );
}

function What({ action }: { action: string }) {
  const t = useT(teamMessages);
  const key = `action.${action}` as TeamKey;
  const known = key in teamMessages.en;
  return (
    <>
      {known ? t(key) : action}
      {known && (
        <>
          <br />
          <code className="muted">{action}</code>
        </>
      )}
    </>
  );
}

/**
 * The tenant's audit log with its filters (who, what, which days; in the address via `onSearch`),
 * newest first, 25 at a time. Only for audit:read: the page does not render it otherwise.
 */
export function AuditLog({
  tenantId,
  search,
  onSearch,
  members,
}: {
  tenantId: string;
  search: AuditSearch;
  onSearch: (next: AuditSearch) => void;
  members: readonly TeamMember[];
}) {
  const t = useT(teamMessages);
  const c = useT(common);
  const format = useFormat();
  const invalid = badRange(search);
  const log = useAuditLog(tenantId, toAuditQuery(search), !invalid);
  const rows = log.data?.pages.flatMap((p) => p.edges.map((e) => e.node)) ?? [];
  const filtered = Boolean(search.who || search.what || search.from || search.to);
  const memberNames = new Map(members.map((m) => [m.userId, m.name]));
  const chosenUser = search.who?.startsWith("user:") && !members.some((m) => `user:${m.userId}` === search.who);

  return (
    <div className="audit-log">
      <form className="filters audit-filters" aria-label={t("audit.filters")} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t("audit.filter.actor")}
          <select value={search.who ?? ""} onChange={(e) => onSearch({ ...search, who: e.target.value || undefined })}>
            <option value="">{t("audit.filter.anyone")}</option>
            {members.map((m) => (
              <option key={m.userId} value={`user:${m.userId}`}>
                {m.name}
              </option>
            ))}
            {chosenUser && search.who && <option value={search.who}>{search.who.slice(5)}</option>}
            {ACTOR_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(ACTOR_LABEL[k])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("audit.filter.action")}
          <select value={search.what ?? ""} onChange={(e) => onSearch({ ...search, what: e.target.value || undefined })}>
            <option value="">{t("audit.filter.anything")}</option>
            {ACTION_FAMILIES.map((f) => (
              <option key={f} value={f}>
                {t(`family.${f}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("audit.filter.from")}
          <input
            type="date"
            value={search.from ?? ""}
            aria-invalid={invalid || undefined}
            onChange={(e) => onSearch({ ...search, from: e.target.value || undefined })}
          />
        </label>
        <label>
          {t("audit.filter.to")}
          <input
            type="date"
            value={search.to ?? ""}
            aria-invalid={invalid || undefined}
            onChange={(e) => onSearch({ ...search, to: e.target.value || undefined })}
          />
        </label>
      </form>
      {invalid && (
        <p className="field-error" role="alert">
          {t("audit.filter.badRange")}
        </p>
      )}

      {log.isLoading && <p role="status">{t("audit.loading")}</p>}
      {log.isError && !log.isFetchNextPageError && (
        <>
          <ErrorNotice error={log.error} title={t("audit.error")} />
          <button type="button" onClick={() => log.refetch()}>
            {c("action.retry")}
          </button>
        </>
      )}
      {log.isSuccess && rows.length === 0 && (
        <div className="empty" role="status">
          <p className="notice-title">{filtered ? t("audit.emptyFiltered") : t("audit.empty")}</p>
          {filtered && (
            <p>
              <a
                href="/team/audit"
                onClick={(e) => {
                  e.preventDefault();
                  onSearch({});
                }}
              >
                {t("audit.clear")}
              </a>
            </p>
          )}
        </div>
      )}
      {rows.length > 0 && (
        <>
          <table className="team-table audit">
            <thead>
              <tr>
                <th scope="col">{t("audit.col.when")}</th>
                <th scope="col">{t("audit.col.who")}</th>
                <th scope="col">{t("audit.col.what")}</th>
                <th scope="col">{t("audit.col.details")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((entry) => (
                <tr key={entry.id} data-audit-id={entry.id} data-action={entry.action} data-actor-kind={entry.actorKind}>
                  <td className="audit-when">
                    <time dateTime={entry.createdAt}>{format.dateTime(entry.createdAt)}</time>
                  </td>
                  <td>
                    <Who entry={entry} />
                  </td>
                  <td>
                    <What action={entry.action} />
                  </td>
                  <td>
                    <AuditDetails entry={entry} memberNames={memberNames} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="pager">
            {log.hasNextPage && (
              <button type="button" onClick={() => log.fetchNextPage()} disabled={log.isFetchingNextPage}>
                {log.isFetchingNextPage ? t("audit.loadingMore") : t("audit.more")}
              </button>
            )}
            <p className="muted">
              {plural(t, "audit.shown", rows.length)}
              {log.hasNextPage ? "" : `, ${t("audit.all")}`}
            </p>
          </div>
          {log.isFetchNextPageError && <ErrorNotice error={log.error} title={t("audit.error")} />}
        </>
      )}
    </div>
  );
}
