import { type FormEvent, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { Field } from "../../../components/field";
import { useSignUp } from "../api/sign-up";

/** Creates a company and its owner. The answer carries no token: the person signs in next. */
export function SignUpForm({ onAccepted }: { onAccepted: (email: string) => void }) {
  const signUp = useSignUp();
  const [form, setForm] = useState({ name: "", tenantName: "", email: "", password: "" });
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signUp.mutate(form, { onSuccess: (accepted) => onAccepted(accepted.email) });
  };

  return (
    <form onSubmit={submit} className="stack" noValidate>
      {signUp.error && <ErrorNotice error={signUp.error} title="Could not create the account" />}
      <Field label="Your name" name="name" autoComplete="name" required value={form.name} onChange={set("name")} />
      <Field label="Company" name="company" autoComplete="organization" required value={form.tenantName} onChange={set("tenantName")} />
      <Field label="Email" type="email" name="email" autoComplete="email" required value={form.email} onChange={set("email")} />
      <Field
        label="Password"
        type="password"
        name="password"
        autoComplete="new-password"
        required
        hint="12 to 256 characters; not your email address, not a common password."
        value={form.password}
        onChange={set("password")}
      />
      <button type="submit" className="primary" disabled={signUp.isPending}>
        {signUp.isPending ? "Creating…" : "Create account"}
      </button>
    </form>
  );
}
