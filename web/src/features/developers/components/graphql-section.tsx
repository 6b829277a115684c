import { useT } from "../../../lib/i18n";
import { developersMessages } from "../messages";

/** Where the API is and where its schema is documented: the GraphQL IDE on the same address. */
export function GraphqlSection({ endpoint }: { endpoint: string }) {
  const t = useT(developersMessages);
  return (
    <section aria-labelledby="api-title" className="developer-section">
      <h2 id="api-title">{t("api.title")}</h2>
      <p className="muted">{t("api.intro")}</p>
      <dl className="facts">
        <dt>{t("api.endpoint")}</dt>
        <dd>
          <code data-testid="graphql-endpoint">{endpoint}</code>
        </dd>
      </dl>
      <p>
        <a href="/graphql" rel="noopener">
          {t("api.ide")}
        </a>
      </p>
      <p className="hint">{t("api.ideHint")}</p>
    </section>
  );
}
