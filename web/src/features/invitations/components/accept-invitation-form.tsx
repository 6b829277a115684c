import { type FormEvent, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { Field } from "../../../components/field";
import { ApiError } from "../../../lib/graphql";
import { useT } from "../../../lib/i18n";
import type { Session } from "../../../lib/session";
import { useAcceptInvitation } from "../api/accept";
import { invitationMessages } from "../messages";

export interface OpenInvitation {
  readonly token: string;
  readonly tenantName: string;
  readonly email: string;
  readonly hasAccount: boolean;
}

/** The API's VALIDATION names the field it refused (`extensions.field`): the password policy, the name. */
const fieldOf = (error: unknown): "name" | "password" | undefined => {
  if (!(error instanceof ApiError) || error.code !== "VALIDATION") return undefined;
  return error.extensions.field === "name" || error.extensions.field === "password" ? error.extensions.field : undefined;
};

/**
 * Accepts an open invitation: a new person gives a name and chooses a password (the policy's
 * refusals show next to the field); an existing account proves its password. Either way the
 * answer is a session in the inviting company.
 */
export function AcceptInvitationForm({ invitation, onAccepted }: { invitation: OpenInvitation; onAccepted: (session: Session) => void }) {
  const accept = useAcceptInvitation();
  const t = useT(invitationMessages);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [missing, setMissing] = useState<{ name?: string; password?: string }>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = {
      ...(!invitation.hasAccount && name.trim() === "" ? { name: t("form.missingName") } : {}),
      ...(password === "" ? { password: invitation.hasAccount ? t("form.missingPassword") : t("form.missingNewPassword") } : {}),
    };
    setMissing(found);
    if (Object.keys(found).length > 0) return;
    accept.mutate(
      { token: invitation.token, password, ...(invitation.hasAccount ? {} : { name }) },
      {
        onSuccess: (result) =>
          onAccepted({ ...result, email: invitation.email, tenants: [{ id: result.tenantId, name: invitation.tenantName }] }),
      },
    );
  };

  const field = fieldOf(accept.error);
  const errorOf = (name: "name" | "password") => missing[name] ?? (field === name ? accept.error?.message : undefined);
  return (
    <form onSubmit={submit} className="stack" noValidate>
      {accept.error && !field && <ErrorNotice error={accept.error} title={t("form.failed")} />}
      <div className="field">
        <span className="label">{t("form.email")}</span>
        <span data-testid="invited-email">{invitation.email}</span>
      </div>
      {!invitation.hasAccount && (
        <Field
          label={t("form.name")}
          name="name"
          autoComplete="name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errorOf("name")}
        />
      )}
      <Field
        label={invitation.hasAccount ? t("form.yourPassword") : t("form.choosePassword")}
        type="password"
        name="password"
        autoComplete={invitation.hasAccount ? "current-password" : "new-password"}
        required
        hint={invitation.hasAccount ? undefined : t("form.passwordHint")}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errorOf("password")}
      />
      <button type="submit" className="primary" disabled={accept.isPending}>
        {accept.isPending ? t("form.pending") : invitation.hasAccount ? t("form.signInAndJoin") : t("form.createAndJoin")}
      </button>
    </form>
  );
}
