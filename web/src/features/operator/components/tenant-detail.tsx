import { common, useFormat, useT } from "../../../lib/i18n";
import type { OperatorTenantView } from "../api/tenant";
import { operatorMessages } from "../messages";
import { AlertList } from "./alert-list";

const MEMBER_ROLES = ["OWNER", "ADMIN", "ENGINEER", "VIEWER", "FINANCE"] as const;
const isMemberRole = (r: string): r is (typeof MEMBER_ROLES)[number] => (MEMBER_ROLES as readonly string[]).includes(r);

/** One customer as support sees it: the figures, its machines, its unresolved alerts and its members. */
export function TenantDetail({ view }: { view: OperatorTenantView }) {
  const t = useT(operatorMessages);
  const c = useT(common);
  const f = useFormat();
  const { tenant, members } = view.operatorTenant;
  const fleet = view.operatorTenantFleet;
  return (
    <>
      <section aria-labelledby="tenant-facts">
        <h2 id="tenant-facts" className="visually-hidden">
          {t("tenant.facts")}
        </h2>
        <dl className="facts">
          <dt>{t("col.status")}</dt>
          <dd>{tenant.status === "active" ? t("tenantStatus.active") : tenant.status}</dd>
          <dt>{t("col.since")}</dt>
          <dd>{f.date(tenant.createdAt)}</dd>
          <dt>{t("tenant.assets")}</dt>
          <dd>{f.number(fleet.assetCount)}</dd>
          <dt>{t("tenant.alerts")}</dt>
          <dd>{f.number(fleet.unresolvedAlertCount)}</dd>
          <dt>{t("tenant.members")}</dt>
          <dd>{f.number(tenant.memberCount)}</dd>
        </dl>
      </section>

      <section aria-labelledby="tenant-alerts">
        <h2 id="tenant-alerts">{t("tenant.alerts")}</h2>
        {fleet.alerts.length === 0 ? (
          <p className="empty">{t("tenant.alertsEmpty")}</p>
        ) : (
          <AlertList rows={fleet.alerts} label={t("tenant.alerts")} showCustomer={false} />
        )}
        {fleet.unresolvedAlertCount > fleet.alerts.length && (
          <p className="muted">
            {t("tenant.alertsCapped", { shown: f.number(fleet.alerts.length), total: f.number(fleet.unresolvedAlertCount) })}
          </p>
        )}
      </section>

      <section aria-labelledby="tenant-assets">
        <h2 id="tenant-assets">{t("tenant.assets")}</h2>
        {fleet.assets.length === 0 ? (
          <p className="empty">{t("tenant.assetsEmpty")}</p>
        ) : (
          <table className="operator-table" aria-label={t("tenant.assets")}>
            <thead>
              <tr>
                <th scope="col">{t("col.externalId")}</th>
                <th scope="col">{t("col.name")}</th>
                <th scope="col">{t("col.type")}</th>
                <th scope="col" className="numeric">
                  {t("col.unresolved")}
                </th>
              </tr>
            </thead>
            <tbody>
              {fleet.assets.map((a) => (
                <tr key={a.id} data-asset-id={a.id}>
                  <td>
                    <code>{a.externalId}</code>
                  </td>
                  <td>{a.name}</td>
                  <td>{a.assetTypeName}</td>
                  <td className="numeric">{f.number(a.unresolvedAlerts)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {fleet.assetCount > fleet.assets.length && (
          <p className="muted">{t("tenant.assetsCapped", { shown: f.number(fleet.assets.length), total: f.number(fleet.assetCount) })}</p>
        )}
      </section>

      <section aria-labelledby="tenant-members">
        <h2 id="tenant-members">{t("tenant.members")}</h2>
        <table className="operator-table" aria-label={t("tenant.members")}>
          <thead>
            <tr>
              <th scope="col">{t("col.name")}</th>
              <th scope="col">{t("col.email")}</th>
              <th scope="col">{t("col.role")}</th>
              <th scope="col">{t("col.joined")}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId}>
                <td>{m.name}</td>
                <td>{m.email}</td>
                <td>{isMemberRole(m.role) ? c(`role.${m.role}`) : m.role}</td>
                <td className="nowrap">{f.date(m.joinedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
