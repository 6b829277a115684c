import { type FormEvent, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { Field } from "../../../components/field";
import { ApiError } from "../../../lib/graphql";
import { useT } from "../../../lib/i18n";
import type { Session, TenantRef } from "../../../lib/session";
import { useSignIn } from "../api/sign-in";
import { authMessages } from "../messages";

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
  const t = useT(authMessages);
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
      {signIn.error && !pending && <ErrorNotice error={signIn.error} title={t("signIn.failed")} />}
      {pending && (
        <p role="status" className="notice">
          {t("signIn.several")}
        </p>
      )}
      <Field
        label={t("field.email")}
        type="email"
        name="email"
        autoComplete="username"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <Field
        label={t("field.password")}
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {choosing && (
        <div className="field">
          <label htmlFor="sign-in-tenant">{t("field.company")}</label>
          <select id="sign-in-tenant" value={tenantId} onChange={(e) => setTenantId(e.target.value)}>
            {tenants.map((tenant) => (
              <option key={tenant.id} value={tenant.id}>
                {tenant.name || tenant.id}
              </option>
            ))}
          </select>
        </div>
      )}
      <button type="submit" className="primary" disabled={signIn.isPending}>
        {signIn.isPending ? t("signIn.pending") : t("signIn.submit")}
      </button>
    </form>
  );
}
