import { type FormEvent, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { Field } from "../../../components/field";
import { ApiError } from "../../../lib/graphql";
import { useT } from "../../../lib/i18n";
import { useCreateApiKey } from "../api/api-keys";
import { developersMessages } from "../messages";
import { SecretOnce } from "./secret-once";

/** Name and scopes (only the creator's own are offered; the API refuses any other); the key is shown once. */
export function CreateKeyForm({ tenantId, ownScopes, endpoint }: { tenantId: string; ownScopes: readonly string[]; endpoint: string }) {
  const t = useT(developersMessages);
  const create = useCreateApiKey(tenantId);
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ReadonlySet<string>>(new Set());
  const [problems, setProblems] = useState<{ name?: string; scopes?: string }>({});
  const apiField = create.error instanceof ApiError ? create.error.extensions.field : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = {
      ...(name.trim() === "" ? { name: t("keys.nameMissing") } : {}),
      ...(scopes.size === 0 ? { scopes: t("keys.scopesMissing") } : {}),
    };
    setProblems(next);
    if (next.name || next.scopes) return;
    create.mutate(
      { name: name.trim(), scopes: ownScopes.filter((s) => scopes.has(s)) },
      {
        onSuccess: () => {
          setName("");
          setScopes(new Set());
        },
      },
    );
  };
  const toggle = (scope: string, on: boolean) => {
    const next = new Set(scopes);
    if (on) next.add(scope);
    else next.delete(scope);
    setScopes(next);
  };

  return (
    <form className="developer-form" aria-label={t("keys.form")} onSubmit={submit} noValidate>
      <Field
        label={t("keys.name")}
        hint={t("keys.nameHint")}
        value={name}
        maxLength={120}
        onChange={(e) => setName(e.target.value)}
        error={problems.name ?? (apiField === "name" ? create.error?.message : undefined)}
      />
      <fieldset className="scope-choice" aria-describedby="key-scopes-hint">
        <legend>{t("keys.scopes")}</legend>
        <p id="key-scopes-hint" className="hint">
          {t("keys.scopesHint")}
        </p>
        <div className="scope-grid">
          {ownScopes.map((scope) => (
            <label key={scope}>
              <input type="checkbox" checked={scopes.has(scope)} onChange={(e) => toggle(scope, e.target.checked)} />
              <span>
                <code>{scope}</code>
                {isKnownScope(scope) && <span className="scope-what">{t(`scope.${scope}`)}</span>}
              </span>
            </label>
          ))}
        </div>
        {problems.scopes && <p className="field-error">{problems.scopes}</p>}
      </fieldset>
      {create.error && apiField !== "name" && <ErrorNotice error={create.error} title={t("keys.createError")} />}
      <button type="submit" className="primary" disabled={create.isPending}>
        {create.isPending ? t("keys.creating") : t("keys.submit")}
      </button>
      {create.data && (
        <div role="status" className="notice notice-success">
          <p className="notice-title">{t("keys.created", { name: create.data.apiKey.name })}</p>
          <SecretOnce label={t("keys.secretLabel")} secret={create.data.secret} testId="api-key-secret" />
          <p className="muted">{t("keys.example")}</p>
          <pre className="snippet">{curlExample(endpoint, create.data.secret)}</pre>
        </div>
      )}
    </form>
  );
}

const KNOWN_SCOPES = [
  "tenant:read",
  "tenant:write",
  "members:read",
  "members:write",
  "apikeys:read",
  "apikeys:write",
  "audit:read",
  "assets:read",
  "assets:write",
  "telemetry:read",
  "telemetry:write",
  "models:read",
  "models:write",
  "models:promote",
  "billing:read",
  "billing:write",
] as const;

/** A scope the catalogue describes (a scope added to the API later shows without a description). */
function isKnownScope(scope: string): scope is (typeof KNOWN_SCOPES)[number] {
  return (KNOWN_SCOPES as readonly string[]).includes(scope);
}

/** A ready-to-paste request with the new key: who it acts as and with which scopes. */
function curlExample(endpoint: string, secret: string): string {
  return [
    `curl -s ${endpoint} \\`,
    `  -H 'Authorization: Bearer ${secret}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d '{"query":"{ viewer { kind scopes } }"}'`,
  ].join("\n");
}
