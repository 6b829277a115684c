import { Link } from "@tanstack/react-router";
import { useFormat, useT } from "../../../lib/i18n";
import { operatorMessages } from "../messages";

export interface OperatorAlertRow {
  readonly alertId: string;
  readonly tenantId?: string;
  readonly tenantName?: string;
  readonly assetExternalId: string;
  readonly kind: string;
  readonly status: string;
  readonly value: number;
  readonly threshold: number;
  readonly openedAt: string;
}

const KINDS = ["RUL_LOW", "ANOMALY"] as const;
const STATUSES = ["OPEN", "ACKNOWLEDGED", "RESOLVED"] as const;
const isKind = (k: string): k is (typeof KINDS)[number] => (KINDS as readonly string[]).includes(k);
const isStatus = (s: string): s is (typeof STATUSES)[number] => (STATUSES as readonly string[]).includes(s);

/** Unresolved alerts as support reads them; with the customer column (and its link) across customers. */
export function AlertList({ rows, label, showCustomer }: { rows: readonly OperatorAlertRow[]; label: string; showCustomer: boolean }) {
  const t = useT(operatorMessages);
  const f = useFormat();
  return (
    <table className="operator-table" aria-label={label}>
      <thead>
        <tr>
          {showCustomer && <th scope="col">{t("col.customer")}</th>}
          <th scope="col">{t("col.asset")}</th>
          <th scope="col">{t("col.alert")}</th>
          <th scope="col">{t("col.status")}</th>
          <th scope="col">{t("col.opened")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((a) => (
          <tr key={a.alertId} data-alert-id={a.alertId} data-tenant-id={a.tenantId}>
            {showCustomer && (
              <td>
                {a.tenantId ? (
                  <Link to="/operator/tenants/$tenantId" params={{ tenantId: a.tenantId }}>
                    {a.tenantName || a.tenantId}
                  </Link>
                ) : (
                  a.tenantName
                )}
              </td>
            )}
            <td>
              <code>{a.assetExternalId}</code>
            </td>
            <td>
              {isKind(a.kind) ? (
                <>
                  <strong>{t(`kind.${a.kind}`)}</strong>{" "}
                  <span className="muted">{t(`alert.${a.kind}`, { value: f.number(a.value), threshold: f.number(a.threshold) })}</span>
                </>
              ) : (
                a.kind
              )}
            </td>
            <td>
              <span className={`status status-${a.status.toLowerCase()}`}>{isStatus(a.status) ? t(`status.${a.status}`) : a.status}</span>
            </td>
            <td className="nowrap">{f.dateTime(a.openedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
