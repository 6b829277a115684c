import { type FormEvent, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { Field } from "../../../components/field";
import type { MemberRole } from "../../../gql/graphql";
import { ApiError } from "../../../lib/graphql";
import { common, useFormat, useT } from "../../../lib/i18n";
import { useCreateInvitation } from "../api/invitations";
import { teamMessages } from "../messages";

interface Created {
  readonly url: string;
  readonly email: string;
  readonly role: MemberRole;
  readonly expiresAt: string;
}

/** Sends an invitation and shows its link once, with a copy button: the API never shows the token again. */
export function InviteForm({ tenantId, roles }: { tenantId: string; roles: readonly MemberRole[] }) {
  const t = useT(teamMessages);
  const c = useT(common);
  const format = useFormat();
  const create = useCreateInvitation(tenantId);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<MemberRole>("VIEWER");
  const [missing, setMissing] = useState(false);
  const [created, setCreated] = useState<Created | undefined>();
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");

  const fieldError = create.error instanceof ApiError && create.error.extensions.field === "email" ? create.error.message : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (email.trim() === "") {
      setMissing(true);
      return;
    }
    setMissing(false);
    setCopy("idle");
    setCreated(undefined);
    create.mutate(
      { email: email.trim(), role },
      {
        onSuccess: (r) => {
          setCreated({ url: r.url, email: r.invitation.email, role: r.invitation.role, expiresAt: r.invitation.expiresAt });
          setEmail("");
        },
      },
    );
  };

  const copyLink = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setCopy("copied");
    } catch {
      setCopy("failed");
    }
  };

  return (
    <form className="team-invite" aria-labelledby="invite-title" onSubmit={submit} noValidate>
      <h2 id="invite-title">{t("invite.heading")}</h2>
      <div className="team-invite-fields">
        <Field
          label={t("invite.email")}
          type="email"
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={missing ? t("invite.emailMissing") : fieldError}
        />
        <div className="field">
          <label htmlFor="invite-role">{t("invite.role")}</label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as MemberRole)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {c(`role.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? t("invite.sending") : t("invite.send")}
        </button>
      </div>
      <p className="hint">
        {t("invite.hint")}
        {!roles.includes("OWNER") && ` ${t("invite.ownerRoleHint")}`}
      </p>
      {create.isError && !fieldError && <ErrorNotice error={create.error} title={t("invite.refused")} />}
      {created && (
        <div className="notice notice-success team-link" role="status">
          <p className="notice-title">{t("invite.created", { email: created.email, role: c(`role.${created.role}`) })}</p>
          <label htmlFor="invite-link">{t("invite.linkLabel")}</label>
          <div className="team-link-row">
            <input
              id="invite-link"
              readOnly
              value={created.url}
              onFocus={(e) => e.currentTarget.select()}
              aria-describedby="invite-link-hint"
            />
            <button type="button" onClick={() => void copyLink(created.url)}>
              {copy === "copied" ? c("action.copied") : t("invite.copyLink")}
            </button>
          </div>
          <p id="invite-link-hint" className="hint">
            {t("invite.linkHint", { email: created.email, expires: format.dateTime(created.expiresAt) })}
          </p>
          {copy === "failed" && <p className="field-error">{t("invite.copyFailed")}</p>}
        </div>
      )}
    </form>
  );
}
