import type { TenantRef } from "../../../lib/session";

interface TenantSwitcherProps {
  readonly current: TenantRef;
  readonly tenants: readonly TenantRef[];
  readonly onSwitch: (tenantId: string) => void;
}

/** The company the token is scoped to; with several, a list to open another (a new sign-in). */
export function TenantSwitcher({ current, tenants, onSwitch }: TenantSwitcherProps) {
  if (tenants.length < 2) {
    return (
      <p className="tenant">
        <span className="muted">Company</span> <strong>{current.name}</strong>
      </p>
    );
  }
  return (
    <div className="tenant">
      <label htmlFor="tenant-switcher" className="muted">
        Company
      </label>
      <select id="tenant-switcher" value={current.id} onChange={(e) => onSwitch(e.target.value)}>
        {tenants.map((t) => (
          <option key={t.id} value={t.id}>
            {t.id === current.id ? current.name : t.name}
          </option>
        ))}
      </select>
    </div>
  );
}
