import { type FormEvent, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { Field } from "../../../components/field";
import { ApiError } from "../../../lib/graphql";
import type { Session, TenantRef } from "../../../lib/session";
import { useSignIn } from "../api/sign-in";

/** The tenants an account belongs to, as sign-in names them when it cannot choose alone. */
function tenantsOf(error: unknown): TenantRef[] {
  if (!(error instanceof ApiError) || error.code !== "VALIDATION" || !Array.isArray(error.extensions.tenants)) return [];
  return error.extensions.tenants.filter(
    (t): t is TenantRef => typeof t === "object" && t !== null && typeof t.id === "string" && typeof t.name === "string",
  );
}

interface SignInFormProps {
  readonly email?: string | undefined;
  /** A tenant to open (switching): asked for by id; the account's tenants list it by name. */
  readonly tenantId?: string | undefined;
  readonly knownTenants?: readonly TenantRef[];
  readonly onSignedIn: (session: Session) => void;
}

export function SignInForm({ email: initialEmail = "", tenantId: initialTenant, knownTenants = [], onSignedIn }: SignInFormProps) {
  const signIn = useSignIn();
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState("");
  const [tenants, setTenants] = useState<readonly TenantRef[]>(knownTenants);
  const [tenantId, setTenantId] = useState(initialTenant ?? "");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate(
      { email, password, ...(tenantId ? { tenantId } : {}) },
      {
        onSuccess: (result) =>
          onSignedIn({ ...result, email, tenants: tenants.length > 0 ? tenants : [{ id: result.tenantId, name: "" }] }),
        onError: (error) => {
          const named = tenantsOf(error);
          if (named.length > 0) {
            setTenants(named);
            setTenantId(named[0]?.id ?? "");
          }
        },
      },
    );
  };

  const choosing = tenants.length > 1;
  const pending = tenantsOf(signIn.error).length > 0;
  return (
    <form onSubmit={submit} className="stack" noValidate>
      {signIn.error && !pending && <ErrorNotice error={signIn.error} title="Could not sign in" />}
      {pending && (
        <p role="status" className="notice">
          Your account belongs to several companies: choose one below and sign in again.
        </p>
      )}
      <Field
        label="Email"
        type="email"
        name="email"
        autoComplete="username"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <Field
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {choosing && (
        <div className="field">
          <label htmlFor="sign-in-tenant">Company</label>
          <select id="sign-in-tenant" value={tenantId} onChange={(e) => setTenantId(e.target.value)}>
            {tenants.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name || t.id}
              </option>
            ))}
          </select>
        </div>
      )}
      <button type="submit" className="primary" disabled={signIn.isPending}>
        {signIn.isPending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
