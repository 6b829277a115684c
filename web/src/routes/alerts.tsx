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
import { useCurrentMember } from "../features/tenants/api/current-member";
import { useAssetOptions } from "../lib/asset-options";
import { useSession } from "../lib/session";
import { shellRoute } from "./shell";

/** How long a row that just arrived stands out. */
const HIGHLIGHT_MS = 6_000;

const LIVE_TEXT: Record<LiveState, string> = {
  connecting: "Connecting for new alerts…",
  live: "Live: new alerts and acknowledgements appear as they happen",
  reconnecting: "Connection lost, reconnecting…",
  offline: "Not receiving new alerts",
};

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

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const t of pending) clearTimeout(t);
    };
  }, []);

  const onAlert = useCallback(
    (alert: AlertRow) => {
      setAnnouncement(`New alert on ${alert.assetName}`);
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
    [queryClient, tenantId, search],
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
      <title>Alerts · Predictive maintenance</title>
      <div className="heading-line">
        <h1 id="alerts-title">Alerts</h1>
        {canRead && (
          <p className="live" data-live={live.state}>
            <span className={`dot dot-${live.state}`} aria-hidden="true" /> {LIVE_TEXT[live.state]}
            {live.state === "offline" && (
              <button type="button" className="small" onClick={() => setAttempt((n) => n + 1)}>
                Reconnect
              </button>
            )}
          </p>
        )}
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {live.error && <ErrorNotice error={new Error(live.error)} title="New alerts cannot be shown live" />}
      <div className="alerts-toolbar">
        <AlertFilters search={search} assets={assets.data ?? []} onChange={onFilters} />
        <button type="button" onClick={() => alerts.refetch()} disabled={alerts.isFetching}>
          Refresh
        </button>
      </div>
      {assets.isError && <ErrorNotice error={assets.error} title="Could not load the assets to filter by" />}
      {canAcknowledge && rows.length > 0 && (
        <div className="bulk">
          <button type="button" disabled={chosen.length === 0 || acknowledge.isPending} onClick={() => ack(chosen)}>
            Acknowledge selected{chosen.length > 0 ? ` (${chosen.length})` : ""}
          </button>
        </div>
      )}
      {acknowledge.isError && <ErrorNotice error={acknowledge.error} title="Could not acknowledge" />}

      {alerts.isPending && <p role="status">Loading alerts…</p>}
      {alerts.isError && (
        <>
          <ErrorNotice error={alerts.error} title="Could not load the alerts" />
          <button type="button" onClick={() => alerts.refetch()}>
            Try again
          </button>
        </>
      )}
      {alerts.isSuccess && rows.length === 0 && (
        <div className="empty" role="status">
          <p className="notice-title">{search.status || search.kind || search.asset ? "No alerts match these filters" : "No alerts yet"}</p>
          <p>Alerts are raised when a prediction crosses an asset type's alert rule; new ones appear here as they are raised.</p>
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
                {alerts.isFetchingNextPage ? "Loading more…" : "Load more"}
              </button>
            )}
            <p className="muted">
              {rows.length} alert{rows.length === 1 ? "" : "s"} shown{alerts.hasNextPage ? "" : ", all of them"}
            </p>
          </div>
          {alerts.isFetchNextPageError && <ErrorNotice error={alerts.error} title="Could not load more alerts" />}
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
