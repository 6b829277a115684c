import { type FormEvent, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { Field } from "../../../components/field";
import { ApiError } from "../../../lib/graphql";
import { useT } from "../../../lib/i18n";
import { useCreateWebhook } from "../api/webhooks";
import { developersMessages } from "../messages";
import { SecretOnce } from "./secret-once";

/** A URL (checked by the API: https, a public host) and the events it receives; the signing secret is shown once. */
export function CreateWebhookForm({ tenantId }: { tenantId: string }) {
  const t = useT(developersMessages);
  const create = useCreateWebhook(tenantId);
  const [url, setUrl] = useState("");
  const [missing, setMissing] = useState(false);
  const apiField = create.error instanceof ApiError ? create.error.extensions.field : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMissing(url.trim() === "");
    if (url.trim() === "") return;
    create.mutate(url.trim(), { onSuccess: () => setUrl("") });
  };

  return (
    <form className="developer-form" aria-label={t("hooks.form")} onSubmit={submit} noValidate>
      <Field
        label={t("hooks.url")}
        hint={t("hooks.urlHint")}
        type="url"
        inputMode="url"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        error={missing ? t("hooks.urlMissing") : apiField === "url" ? create.error?.message : undefined}
      />
      <fieldset className="scope-choice" aria-describedby="hook-events-hint">
        <legend>{t("hooks.events")}</legend>
        <p id="hook-events-hint" className="hint">
          {t("hooks.eventsHint")}
        </p>
        <label>
          <input type="checkbox" checked disabled />
          {t("hooks.eventAlert")}
        </label>
        <label>
          <input type="checkbox" checked disabled />
          {t("hooks.eventTest")}
        </label>
      </fieldset>
      {create.error && apiField !== "url" && <ErrorNotice error={create.error} title={t("hooks.createError")} />}
      <button type="submit" className="primary" disabled={create.isPending}>
        {create.isPending ? t("hooks.creating") : t("hooks.submit")}
      </button>
      {create.data && (
        <div role="status" className="notice notice-success">
          <p className="notice-title">{t("hooks.created")}</p>
          <SecretOnce label={t("hooks.secretLabel")} secret={create.data.secret} testId="webhook-secret" />
        </div>
      )}
    </form>
  );
}
