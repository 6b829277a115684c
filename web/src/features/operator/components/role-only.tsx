import type { ReactNode } from "react";
import { useT } from "../../../lib/i18n";
import { type OperatorRole, useOperatorSession } from "../lib/session";
import { operatorMessages } from "../messages";

/** A view for one operator role; the other role reads why it is not theirs (the API would refuse it too). */
export function RoleOnly({ only, children }: { only: OperatorRole; children: ReactNode }) {
  const t = useT(operatorMessages);
  const session = useOperatorSession();
  const mine = session?.operator.role;
  if (!mine) return null;
  if (mine !== only) {
    return (
      <p role="status" className="notice notice-warning">
        {t(`only.${only}`, { role: t(`role.${mine}`) })}
      </p>
    );
  }
  return <>{children}</>;
}
