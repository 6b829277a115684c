import { useState } from "react";
import type { MemberRole } from "../../../gql/graphql";
import { common, useFormat, useT } from "../../../lib/i18n";
import type { TeamMember } from "../api/members";
import type { MemberControls } from "../lib/rules";
import { teamMessages } from "../messages";

/**
 * One member: the role as a word for a role that only reads; for one that writes, a role choice
 * with Apply and a Remove that asks once more. What the API would refuse is disabled, with why.
 */
export function MemberRow({
  member,
  isSelf,
  canWrite,
  controls,
  busy,
  confirming,
  tenantName,
  onConfirm,
  onChangeRole,
  onRemove,
}: {
  member: TeamMember;
  isSelf: boolean;
  canWrite: boolean;
  controls: MemberControls;
  busy: boolean;
  confirming: boolean;
  tenantName: string;
  onConfirm: (open: boolean) => void;
  onChangeRole: (role: MemberRole) => void;
  onRemove: () => void;
}) {
  const t = useT(teamMessages);
  const c = useT(common);
  const format = useFormat();
  const [role, setRole] = useState<MemberRole>(member.role);
  const blocked = controls.blocked;
  const whyId = `why-${member.userId}`;
  const roleChoices = controls.roles.includes(member.role) ? controls.roles : [member.role, ...controls.roles];
  return (
    <tr data-user-id={member.userId} data-role={member.role}>
      <td>
        {member.name}
        {isSelf && <span className="muted"> ({t("members.you")})</span>}
      </td>
      <td>{member.email}</td>
      <td>
        {canWrite ? (
          <select
            aria-label={t("members.roleOf", { name: member.name })}
            value={role}
            disabled={Boolean(blocked) || busy}
            aria-describedby={blocked ? whyId : undefined}
            onChange={(e) => setRole(e.target.value as MemberRole)}
          >
            {roleChoices.map((r) => (
              <option key={r} value={r} disabled={!controls.roles.includes(r)}>
                {c(`role.${r}`)}
              </option>
            ))}
          </select>
        ) : (
          <span className="badge">{c(`role.${member.role}`)}</span>
        )}
        {canWrite && blocked && (
          <p id={whyId} className="hint">
            {t(blocked === "onlyOwner" ? "members.onlyOwner" : "members.ownerOnly")}
          </p>
        )}
      </td>
      <td>{format.date(member.joinedAt)}</td>
      {canWrite && (
        <td>
          {confirming ? (
            <fieldset className="team-confirm">
              <legend className="visually-hidden">{t("members.removeFor", { name: member.name })}</legend>
              <p>
                {isSelf
                  ? t("members.confirmRemoveSelf", { tenant: tenantName })
                  : t("members.confirmRemove", { name: member.name, tenant: tenantName })}
              </p>
              <button type="button" className="danger" disabled={busy} onClick={onRemove}>
                {t("members.confirmYes")}
              </button>
              <button type="button" onClick={() => onConfirm(false)}>
                {c("action.cancel")}
              </button>
            </fieldset>
          ) : (
            <div className="team-actions">
              <button
                type="button"
                className="small"
                aria-label={t("members.applyFor", { name: member.name })}
                disabled={Boolean(blocked) || busy || role === member.role}
                onClick={() => onChangeRole(role)}
              >
                {t("members.apply")}
              </button>
              <button
                type="button"
                className="small"
                aria-label={t("members.removeFor", { name: member.name })}
                aria-describedby={blocked ? whyId : undefined}
                disabled={Boolean(blocked) || busy}
                onClick={() => onConfirm(true)}
              >
                {t("members.remove")}
              </button>
            </div>
          )}
        </td>
      )}
    </tr>
  );
}
