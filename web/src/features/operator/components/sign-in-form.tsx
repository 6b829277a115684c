import { type FormEvent, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { Field } from "../../../components/field";
import { useT } from "../../../lib/i18n";
import { useOperatorSignIn } from "../api/sign-in";
import type { OperatorSession } from "../lib/session";
import { operatorMessages } from "../messages";

/** The operators' own sign-in (operatorSignIn): a member's account does not open the console. */
export function OperatorSignInForm({ onSignedIn }: { onSignedIn: (session: OperatorSession) => void }) {
  const t = useT(operatorMessages);
  const signIn = useOperatorSignIn();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email, password }, { onSuccess: (result) => onSignedIn(result) });
  };
  return (
    <form onSubmit={submit} className="stack" noValidate>
      {signIn.error && <ErrorNotice error={signIn.error} title={t("signIn.failed")} />}
      <Field
        label={t("signIn.email")}
        type="email"
        name="email"
        autoComplete="username"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <Field
        label={t("signIn.password")}
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <button type="submit" className="primary" disabled={signIn.isPending}>
        {signIn.isPending ? t("signIn.pending") : t("signIn.submit")}
      </button>
    </form>
  );
}
