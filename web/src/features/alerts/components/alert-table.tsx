import { Link } from "@tanstack/react-router";
import { type Formatters, type Translate, useFormat, useT } from "../../../lib/i18n";
import type { AlertRow } from "../api/alerts";
import { alertMessages } from "../messages";

type T = Translate<keyof (typeof alertMessages)["en"]>;

/** A figure as the alert holds it: whole numbers as they are, others to two decimals. */
const figure = (format: Formatters, value: number) => (Number.isInteger(value) ? format.number(value) : format.fixed(value, 2));

function Condition({ alert, t, format }: { alert: AlertRow; t: T; format: Formatters }) {
  return alert.kind === "RUL_LOW" ? (
    <>
      {t("condition.cycles", { value: figure(format, alert.value) })}{" "}
      <span className="muted">{t("condition.below", { threshold: figure(format, alert.threshold) })}</span>
    </>
  ) : (
    <>
      {t("condition.score", { value: figure(format, alert.value) })}{" "}
      <span className="muted">{t("condition.threshold", { threshold: figure(format, alert.threshold) })}</span>
    </>
  );
}

function Status({ alert, t, format }: { alert: AlertRow; t: T; format: Formatters }) {
  if (alert.status === "RESOLVED") {
    return (
      <>
        <span className="status status-resolved">{t("status.resolved")}</span>{" "}
        {alert.resolvedAt && <span className="muted status-detail">{format.dateTime(alert.resolvedAt)}</span>}
      </>
    );
  }
  if (alert.status === "ACKNOWLEDGED") {
    return (
      <>
        <span className="status status-acknowledged">{t("status.acknowledged")}</span>{" "}
        <span className="muted status-detail">
          {[
            alert.acknowledgedByName ? t("table.by", { name: alert.acknowledgedByName }) : "",
            alert.acknowledgedAt ? format.dateTime(alert.acknowledgedAt) : "",
          ]
            .filter(Boolean)
            .join(", ")}
        </span>
      </>
    );
  }
  return <span className="status status-open">{t("status.open")}</span>;
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
  const t = useT(alertMessages);
  const format = useFormat();
  const at = (iso: string) => format.dateTime(iso);
  const open = alerts.filter((a) => a.status === "OPEN");
  const allChosen = open.length > 0 && open.every((a) => selection?.selected.has(a.id));
  return (
    <table className="alerts">
      <caption className="visually-hidden">{t("table.caption")}</caption>
      <thead>
        <tr>
          {selection && (
            <th scope="col" className="pick">
              <input
                type="checkbox"
                aria-label={t("table.selectAll")}
                checked={allChosen}
                disabled={open.length === 0 || selection.busy}
                onChange={(e) => selection.onToggleAll(e.target.checked)}
              />
            </th>
          )}
          <th scope="col">{t("table.raised")}</th>
          <th scope="col">{t("table.asset")}</th>
          <th scope="col">{t("table.kind")}</th>
          <th scope="col">{t("table.condition")}</th>
          <th scope="col">{t("table.status")}</th>
          {selection && (
            <th scope="col">
              <span className="visually-hidden">{t("table.action")}</span>
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
                    aria-label={t("table.select", { asset: a.assetName, time: at(a.openedAt) })}
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
            <td className="nowrap">{t(`kind.${a.kind}`)}</td>
            <td>
              <Condition alert={a} t={t} format={format} />
            </td>
            <td>
              <Status alert={a} t={t} format={format} />
            </td>
            {selection && (
              <td>
                {a.status === "OPEN" && (
                  <button
                    type="button"
                    className="small"
                    disabled={selection.busy}
                    aria-label={t("table.acknowledgeOn", { asset: a.assetName })}
                    onClick={() => selection.onAcknowledge([a.id])}
                  >
                    {t("table.acknowledge")}
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
