import { useQueryClient } from "@tanstack/react-query";
import { createRoute } from "@tanstack/react-router";
import { useCallback, useEffect, useRef, useState } from "react";
import { ErrorNotice } from "../components/error-notice";
import { useAcknowledgeAlerts } from "../features/alerts/api/acknowledge";
import { type LiveState, useLiveAlerts } from "../features/alerts/api/alert-raised";
import { type AlertRow, prependAlert, replaceAlerts, useAlerts } from "../features/alerts/api/alerts";
import { AlertFilters } from "../features/alerts/components/alert-filters";
import { AlertTable } from "../features/alerts/components/alert-table";
import { type AlertsSearch, validateAlertsSearch } from "../features/alerts/lib/search";
import { alertMessages } from "../features/alerts/messages";
import { useCurrentMember } from "../features/tenants/api/current-member";
import { useAssetOptions } from "../lib/asset-options";
import { common, useT } from "../lib/i18n";
import { useSession } from "../lib/session";
import { shellRoute } from "./shell";

/** How long a row that just arrived stands out. */
const HIGHLIGHT_MS = 6_000;

function AlertsPage() {
  const session = useSession();
  const tenantId = session?.tenantId ?? "";
  const search = alertsRoute.useSearch();
  const navigate = alertsRoute.useNavigate();
  const queryClient = useQueryClient();
  const member = useCurrentMember(session?.token ?? "");
  const canRead = member.data?.viewer.scopes.includes("models:read") ?? false;
  const canAcknowledge = member.data?.viewer.scopes.includes("models:write") ?? false;

  const alerts = useAlerts(tenantId, search);
  const assets = useAssetOptions(tenantId);
  const acknowledge = useAcknowledgeAlerts(tenantId);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [arrived, setArrived] = useState<ReadonlySet<string>>(new Set());
  const [highlighted, setHighlighted] = useState<ReadonlySet<string>>(new Set());
  const [announcement, setAnnouncement] = useState("");
  const [attempt, setAttempt] = useState(0);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  const t = useT(alertMessages);
  const c = useT(common);

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const t of pending) clearTimeout(t);
    };
  }, []);

  const onAlert = useCallback(
    (alert: AlertRow) => {
      setAnnouncement(t("live.announce", { asset: alert.assetName }));
      if (!prependAlert(queryClient, tenantId, search, alert)) return;
      setArrived((prev) => new Set(prev).add(alert.id));
      setHighlighted((prev) => new Set(prev).add(alert.id));
      const timer = setTimeout(() => {
        timers.current.delete(timer);
        setHighlighted((prev) => {
          const next = new Set(prev);
          next.delete(alert.id);
          return next;
        });
      }, HIGHLIGHT_MS);
      timers.current.add(timer);
    },
    [queryClient, tenantId, search, t],
  );
  // Subscribes once the role is known to read alerts; otherwise the list's own refusal says why.
  const live = useLiveAlerts(canRead ? (session?.token ?? "") : "", attempt, {
    onAlert,
    // Acknowledged by another member (or resolved by a prediction): the row shows it at once.
    onChanged: (alert) => replaceAlerts(queryClient, tenantId, [alert]),
    onConnected: () => queryClient.invalidateQueries({ queryKey: ["alerts", tenantId] }),
  });

  const rows = alerts.data?.pages.flatMap((p) => p.edges.map((e) => e.node)) ?? [];
  const chosen = rows.filter((r) => r.status === "OPEN" && selected.has(r.id)).map((r) => r.id);
  const onFilters = (next: AlertsSearch) => {
    setSelected(new Set());
    void navigate({ search: next });
  };
  const ack = (ids: readonly string[]) =>
    acknowledge.mutate(ids, {
      onSuccess: () =>
        setSelected((prev) => {
          const next = new Set(prev);
          for (const id of ids) next.delete(id);
          return next;
        }),
    });

  return (
    <section aria-labelledby="alerts-title" className="page alerts-page">
      <title>{c("app.title", { page: t("alerts.title") })}</title>
      <div className="heading-line">
        <h1 id="alerts-title">{t("alerts.title")}</h1>
        {canRead && (
          <p className="live" data-live={live.state}>
            <span className={`dot dot-${live.state}`} aria-hidden="true" /> {t(`live.${live.state}` as `live.${LiveState}`)}
            {live.state === "offline" && (
              <button type="button" className="small" onClick={() => setAttempt((n) => n + 1)}>
                {t("live.reconnect")}
              </button>
            )}
          </p>
        )}
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {live.error && <ErrorNotice error={new Error(live.error)} title={t("live.failed")} />}
      <div className="alerts-toolbar">
        <AlertFilters search={search} assets={assets.data ?? []} onChange={onFilters} />
        <button type="button" onClick={() => alerts.refetch()} disabled={alerts.isFetching}>
          {c("action.refresh")}
        </button>
      </div>
      {assets.isError && <ErrorNotice error={assets.error} title={t("alerts.assetsFailed")} />}
      {canAcknowledge && rows.length > 0 && (
        <div className="bulk">
          <button type="button" disabled={chosen.length === 0 || acknowledge.isPending} onClick={() => ack(chosen)}>
            {chosen.length > 0 ? t("alerts.ackSelectedCount", { count: chosen.length }) : t("alerts.ackSelected")}
          </button>
        </div>
      )}
      {acknowledge.isError && <ErrorNotice error={acknowledge.error} title={t("alerts.ackFailed")} />}

      {alerts.isPending && <p role="status">{t("alerts.loading")}</p>}
      {alerts.isError && (
        <>
          <ErrorNotice error={alerts.error} title={t("alerts.failed")} />
          <button type="button" onClick={() => alerts.refetch()}>
            {c("action.retry")}
          </button>
        </>
      )}
      {alerts.isSuccess && rows.length === 0 && (
        <div className="empty" role="status">
          <p className="notice-title">{search.status || search.kind || search.asset ? t("alerts.noMatch") : t("alerts.empty")}</p>
          <p>{t("alerts.emptyText")}</p>
        </div>
      )}
      {rows.length > 0 && (
        <>
          <AlertTable
            alerts={rows}
            arrived={arrived}
            highlighted={highlighted}
            selection={
              canAcknowledge
                ? {
                    selected,
                    busy: acknowledge.isPending,
                    onToggle: (id, on) =>
                      setSelected((prev) => {
                        const next = new Set(prev);
                        if (on) next.add(id);
                        else next.delete(id);
                        return next;
                      }),
                    onToggleAll: (on) => setSelected(on ? new Set(rows.filter((r) => r.status === "OPEN").map((r) => r.id)) : new Set()),
                    onAcknowledge: ack,
                  }
                : undefined
            }
          />
          <div className="pager">
            {alerts.hasNextPage && (
              <button type="button" onClick={() => alerts.fetchNextPage()} disabled={alerts.isFetchingNextPage}>
                {alerts.isFetchingNextPage ? c("state.loadingMore") : c("action.loadMore")}
              </button>
            )}
            <p className="muted">
              {t.plural("alerts.shown", rows.length)}
              {alerts.hasNextPage ? "" : t("alerts.allOfThem")}
            </p>
          </div>
          {alerts.isFetchNextPageError && <ErrorNotice error={alerts.error} title={t("alerts.moreFailed")} />}
        </>
      )}
    </section>
  );
}

export const alertsRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/alerts",
  validateSearch: validateAlertsSearch,
  component: AlertsPage,
});
