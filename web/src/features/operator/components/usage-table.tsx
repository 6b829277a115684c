import { useFormat, useT } from "../../../lib/i18n";
import type { UsageRow } from "../api/usage";
import { operatorMessages } from "../messages";

const METERS = ["POINTS_INGESTED", "PREDICTIONS", "TRAINING_RUNS"] as const;
type Meter = (typeof METERS)[number];

interface TenantUsage {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly totals: Record<Meter, number>;
}

const zero = (): Record<Meter, number> => ({ POINTS_INGESTED: 0, PREDICTIONS: 0, TRAINING_RUNS: 0 });

/** The day rows summed per customer and meter (whole numbers: exact), customers by name. */
export function sumUsage(rows: readonly UsageRow[]): { tenants: TenantUsage[]; all: Record<Meter, number> } {
  const byTenant = new Map<string, TenantUsage>();
  const all = zero();
  for (const row of rows) {
    const entry = byTenant.get(row.tenantId) ?? { tenantId: row.tenantId, tenantName: row.tenantName, totals: zero() };
    entry.totals[row.meter] += row.quantity;
    all[row.meter] += row.quantity;
    byTenant.set(row.tenantId, entry);
  }
  const tenants = [...byTenant.values()].sort((a, b) => a.tenantName.localeCompare(b.tenantName) || a.tenantId.localeCompare(b.tenantId));
  return { tenants, all };
}

export function UsageTable({ rows }: { rows: readonly UsageRow[] }) {
  const t = useT(operatorMessages);
  const f = useFormat();
  const { tenants, all } = sumUsage(rows);
  return (
    <table className="operator-table" aria-label={t("usage.title")}>
      <thead>
        <tr>
          <th scope="col">{t("col.customer")}</th>
          {METERS.map((m) => (
            <th key={m} scope="col" className="numeric">
              {t(`meter.${m}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {tenants.map((u) => (
          <tr key={u.tenantId} data-tenant-id={u.tenantId}>
            <th scope="row">{u.tenantName}</th>
            {METERS.map((m) => (
              <td key={m} className="numeric" data-meter={m}>
                {f.number(u.totals[m])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t("usage.total")}</th>
          {METERS.map((m) => (
            <td key={m} className="numeric">
              {f.number(all[m])}
            </td>
          ))}
        </tr>
      </tfoot>
    </table>
  );
}
