import { ApiError } from "../lib/graphql";
import { common, useT } from "../lib/i18n";

/** What went wrong, in the API's words, with the request id to quote to support. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  const t = useT(common);
  const message = error instanceof Error ? error.message : t("error.unexpected");
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div role="alert" className="notice notice-error">
      <p className="notice-title">{title ?? t("error.title")}</p>
      <p>{message}</p>
      {requestId && (
        <p className="muted">
          {t("error.requestIdLabel")} <code>{requestId}</code>
        </p>
      )}
    </div>
  );
}
