import { type FormEvent, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { Field } from "../../../components/field";
import { ApiError } from "../../../lib/graphql";
import type { Session } from "../../../lib/session";
import { useAcceptInvitation } from "../api/accept";

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
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [missing, setMissing] = useState<{ name?: string; password?: string }>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = {
      ...(!invitation.hasAccount && name.trim() === "" ? { name: "Give your name: your colleagues see it." } : {}),
      ...(password === "" ? { password: invitation.hasAccount ? "Enter your account's password." : "Choose a password." } : {}),
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
      {accept.error && !field && <ErrorNotice error={accept.error} title="Could not accept the invitation" />}
      <div className="field">
        <span className="label">Email</span>
        <span data-testid="invited-email">{invitation.email}</span>
      </div>
      {!invitation.hasAccount && (
        <Field
          label="Your name"
          name="name"
          autoComplete="name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errorOf("name")}
        />
      )}
      <Field
        label={invitation.hasAccount ? "Your password" : "Choose a password"}
        type="password"
        name="password"
        autoComplete={invitation.hasAccount ? "current-password" : "new-password"}
        required
        hint={invitation.hasAccount ? undefined : "12 to 256 characters; not your email address, not a common password."}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errorOf("password")}
      />
      <button type="submit" className="primary" disabled={accept.isPending}>
        {accept.isPending ? "Joining…" : invitation.hasAccount ? "Sign in and join" : "Create account and join"}
      </button>
    </form>
  );
}
