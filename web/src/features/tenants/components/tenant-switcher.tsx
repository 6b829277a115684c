import { useT } from "../../../lib/i18n";
import type { TenantRef } from "../../../lib/session";
import { tenantMessages } from "../messages";

interface TenantSwitcherProps {
  readonly current: TenantRef;
  readonly tenants: readonly TenantRef[];
  readonly onSwitch: (tenantId: string) => void;
}

/** The company the token is scoped to; with several, a list to open another (a new sign-in). */
export function TenantSwitcher({ current, tenants, onSwitch }: TenantSwitcherProps) {
  const t = useT(tenantMessages);
  if (tenants.length < 2) {
    return (
      <p className="tenant">
        <span className="muted">{t("tenant.label")}</span> <strong>{current.name}</strong>
      </p>
    );
  }
  return (
    <div className="tenant">
      <label htmlFor="tenant-switcher" className="muted">
        {t("tenant.label")}
      </label>
      <select id="tenant-switcher" value={current.id} onChange={(e) => onSwitch(e.target.value)}>
        {tenants.map((tenant) => (
          <option key={tenant.id} value={tenant.id}>
            {tenant.id === current.id ? current.name : tenant.name}
          </option>
        ))}
      </select>
    </div>
  );
}
