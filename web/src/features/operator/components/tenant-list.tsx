import { Link } from "@tanstack/react-router";
import { useFormat, useT } from "../../../lib/i18n";
import type { TenantRow } from "../api/tenants";
import type { OperatorRole } from "../lib/session";
import { operatorMessages } from "../messages";

/** Every customer; support opens its machines and alerts, finance its invoice preview. */
export function TenantList({ rows, role }: { rows: readonly TenantRow[]; role: OperatorRole }) {
  const t = useT(operatorMessages);
  const f = useFormat();
  return (
    <table className="operator-table" aria-label={t("tenants.title")}>
      <thead>
        <tr>
          <th scope="col">{t("col.name")}</th>
          <th scope="col">{t("col.status")}</th>
          <th scope="col" className="numeric">
            {t("col.members")}
          </th>
          <th scope="col">{t("col.since")}</th>
          <th scope="col">{t("col.view")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((tenant) => (
          <tr key={tenant.id} data-tenant-id={tenant.id}>
            <td>{tenant.name}</td>
            <td>{tenant.status === "active" ? t("tenantStatus.active") : tenant.status}</td>
            <td className="numeric">{f.number(tenant.memberCount)}</td>
            <td className="nowrap">{f.date(tenant.createdAt)}</td>
            <td>
              {role === "SUPPORT" ? (
                <Link
                  to="/operator/tenants/$tenantId"
                  params={{ tenantId: tenant.id }}
                  aria-label={`${t("tenants.fleetLink")}: ${tenant.name}`}
                >
                  {t("tenants.fleetLink")}
                </Link>
              ) : (
                <Link
                  to="/operator/tenants/$tenantId/invoice"
                  params={{ tenantId: tenant.id }}
                  aria-label={`${t("tenants.invoiceLink")}: ${tenant.name}`}
                >
                  {t("tenants.invoiceLink")}
                </Link>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
