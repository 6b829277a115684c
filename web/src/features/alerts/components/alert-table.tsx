import { Link } from "@tanstack/react-router";
import type { AlertRow } from "../api/alerts";
import { KINDS } from "../lib/search";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const at = (iso: string) => when.format(new Date(iso));
const kindLabel = (kind: AlertRow["kind"]) => KINDS.find((k) => k.value === kind)?.label ?? kind;
const figure = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2));

function Condition({ alert }: { alert: AlertRow }) {
  return alert.kind === "RUL_LOW" ? (
    <>
      {figure(alert.value)} cycles left <span className="muted">(below {figure(alert.threshold)})</span>
    </>
  ) : (
    <>
      score {figure(alert.value)} <span className="muted">(threshold {figure(alert.threshold)})</span>
    </>
  );
}

function Status({ alert }: { alert: AlertRow }) {
  if (alert.status === "RESOLVED") {
    return (
      <>
        <span className="status status-resolved">Resolved</span>{" "}
        {alert.resolvedAt && <span className="muted status-detail">{at(alert.resolvedAt)}</span>}
      </>
    );
  }
  if (alert.status === "ACKNOWLEDGED") {
    return (
      <>
        <span className="status status-acknowledged">Acknowledged</span>{" "}
        <span className="muted status-detail">
          {[alert.acknowledgedByName ? `by ${alert.acknowledgedByName}` : "", alert.acknowledgedAt ? at(alert.acknowledgedAt) : ""]
            .filter(Boolean)
            .join(", ")}
        </span>
      </>
    );
  }
  return <span className="status status-open">Open</span>;
}

export interface Selection {
  readonly selected: ReadonlySet<string>;
  onToggle(id: string, on: boolean): void;
  onToggleAll(on: boolean): void;
  onAcknowledge(ids: readonly string[]): void;
  readonly busy: boolean;
}

/**
 * The alerts, newest first, each linking to its asset. `selection` (absent for a role that may only
 * read) adds the checkboxes and the per-row action. Rows that arrived live carry `data-arrived="live"`.
 */
export function AlertTable({
  alerts,
  arrived,
  highlighted,
  selection,
}: {
  alerts: readonly AlertRow[];
  arrived: ReadonlySet<string>;
  highlighted: ReadonlySet<string>;
  selection?: Selection;
}) {
  const open = alerts.filter((a) => a.status === "OPEN");
  const allChosen = open.length > 0 && open.every((a) => selection?.selected.has(a.id));
  return (
    <table className="alerts">
      <caption className="visually-hidden">Alerts, newest first</caption>
      <thead>
        <tr>
          {selection && (
            <th scope="col" className="pick">
              <input
                type="checkbox"
                aria-label="Select every open alert shown"
                checked={allChosen}
                disabled={open.length === 0 || selection.busy}
                onChange={(e) => selection.onToggleAll(e.target.checked)}
              />
            </th>
          )}
          <th scope="col">Raised</th>
          <th scope="col">Asset</th>
          <th scope="col">Kind</th>
          <th scope="col">Condition</th>
          <th scope="col">Status</th>
          {selection && (
            <th scope="col">
              <span className="visually-hidden">Action</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {alerts.map((a) => (
          <tr
            key={a.id}
            data-alert-id={a.id}
            data-status={a.status}
            data-arrived={arrived.has(a.id) ? "live" : undefined}
            className={highlighted.has(a.id) ? "fresh" : undefined}
          >
            {selection && (
              <td className="pick">
                {a.status === "OPEN" && (
                  <input
                    type="checkbox"
                    aria-label={`Select the alert on ${a.assetName} raised ${at(a.openedAt)}`}
                    checked={selection.selected.has(a.id)}
                    disabled={selection.busy}
                    onChange={(e) => selection.onToggle(a.id, e.target.checked)}
                  />
                )}
              </td>
            )}
            <td className="nowrap">
              <time dateTime={a.openedAt}>{at(a.openedAt)}</time>
            </td>
            <td>
              <Link to="/assets/$assetId" params={{ assetId: a.assetId }}>
                {a.assetName}
              </Link>{" "}
              <code>{a.assetExternalId}</code>
            </td>
            <td className="nowrap">{kindLabel(a.kind)}</td>
            <td>
              <Condition alert={a} />
            </td>
            <td>
              <Status alert={a} />
            </td>
            {selection && (
              <td>
                {a.status === "OPEN" && (
                  <button
                    type="button"
                    className="small"
                    disabled={selection.busy}
                    aria-label={`Acknowledge the alert on ${a.assetName}`}
                    onClick={() => selection.onAcknowledge([a.id])}
                  >
                    Acknowledge
                  </button>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
