import type { MemberRole } from "../../../gql/graphql";
import { common, useT } from "../../../lib/i18n";
import type { AuditRow } from "../api/audit-log";
import { type TeamKey, teamMessages } from "../messages";

const ROLE_WORDS: Record<string, MemberRole> = {
  owner: "OWNER",
  admin: "ADMIN",
  engineer: "ENGINEER",
  viewer: "VIEWER",
  finance: "FINANCE",
};

const text = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/** What an entry's data says: a reason first (operators must give one), a role change as from → to, the rest as key: value. */
export function AuditDetails({ entry, memberNames }: { entry: AuditRow; memberNames: ReadonlyMap<string, string> }) {
  const t = useT(teamMessages);
  const c = useT(common);
  const role = (value: unknown) => {
    const known = typeof value === "string" ? ROLE_WORDS[value] : undefined;
    return known ? c(`role.${known}`) : text(value);
  };
  const { reason, from, to, ...rest } = entry.data;
  // A member the change was about, by name while they are in the team.
  const targetName = entry.targetType === "user" ? memberNames.get(entry.targetId) : undefined;
  const isRoleChange = entry.action === "member.role_changed" && from !== undefined && to !== undefined;
  const others = Object.entries(
    isRoleChange ? rest : { ...rest, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) },
  );
  return (
    <div className="audit-details">
      {reason !== undefined && <p className="audit-reason">{t("audit.reason", { reason: text(reason) })}</p>}
      {targetName && <p>{targetName}</p>}
      {isRoleChange && <p>{t("audit.roleChange", { from: role(from), to: role(to) })}</p>}
      {others.length > 0 && (
        <dl>
          {others.map(([key, value]) => (
            <div key={key}>
              <dt>{`data.${key}` in teamMessages.en ? t(`data.${key}` as TeamKey) : key}</dt>
              <dd>{key === "role" ? role(value) : text(value)}</dd>
            </div>
          ))}
        </dl>
      )}
      <p className="muted audit-ids">
        {t("audit.target", { type: entry.targetType, id: entry.targetId })}
        <br />
        {t("audit.requestId", { id: entry.requestId })}
      </p>
    </div>
  );
}
