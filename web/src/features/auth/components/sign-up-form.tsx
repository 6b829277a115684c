import { type FormEvent, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { Field } from "../../../components/field";
import { useT } from "../../../lib/i18n";
import { useSignUp } from "../api/sign-up";
import { authMessages } from "../messages";

/** Creates a company and its owner. The answer carries no token: the person signs in next. */
export function SignUpForm({ onAccepted }: { onAccepted: (email: string) => void }) {
  const signUp = useSignUp();
  const t = useT(authMessages);
  const [form, setForm] = useState({ name: "", tenantName: "", email: "", password: "" });
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signUp.mutate(form, { onSuccess: (accepted) => onAccepted(accepted.email) });
  };

  return (
    <form onSubmit={submit} className="stack" noValidate>
      {signUp.error && <ErrorNotice error={signUp.error} title={t("signUp.failed")} />}
      <Field label={t("field.name")} name="name" autoComplete="name" required value={form.name} onChange={set("name")} />
      <Field
        label={t("field.company")}
        name="company"
        autoComplete="organization"
        required
        value={form.tenantName}
        onChange={set("tenantName")}
      />
      <Field label={t("field.email")} type="email" name="email" autoComplete="email" required value={form.email} onChange={set("email")} />
      <Field
        label={t("field.password")}
        type="password"
        name="password"
        autoComplete="new-password"
        required
        hint={t("field.passwordHint")}
        value={form.password}
        onChange={set("password")}
      />
      <button type="submit" className="primary" disabled={signUp.isPending}>
        {signUp.isPending ? t("signUp.pending") : t("signUp.submit")}
      </button>
    </form>
  );
}
