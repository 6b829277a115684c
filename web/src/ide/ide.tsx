import { GraphiQL } from "graphiql";
import { useMemo, useRef, useState } from "react";
import { useT } from "../lib/i18n";
import { createFetcher } from "./fetcher";
import { ideMessages } from "./messages";

const DEFAULT_QUERY = `# Paste a token above (a member's access token or an API key).
# The book icon on the left opens the docs; Ctrl-Enter runs.

query WhoAmI {
  viewer {
    kind
    tenantId
    userId
    role
    scopes
  }
}
`;

/** GraphiQL on this server's /graphql, with a field for the caller's token above it. */
export function Ide() {
  const [token, setToken] = useState("");
  const t = useT(ideMessages);
  const current = useRef(token);
  current.current = token;
  // One fetcher for the page's life: the schema is loaded once; each operation reads the token as it is.
  const fetcher = useMemo(() => createFetcher(() => current.current), []);
  return (
    <div className="ide">
      <header className="ide-bar">
        <h1>{t("ide.title")}</h1>
        <label className="ide-token">
          <span>{t("ide.token")}</span>
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder={t("ide.placeholder")}
            value={token}
            onChange={(event) => setToken(event.target.value)}
          />
        </label>
        <span className="ide-hint">{token.trim() === "" ? t("ide.anonymous") : t("ide.bearer")}</span>
      </header>
      <div className="ide-main">
        <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} forcedTheme="light" shouldPersistHeaders={false} />
      </div>
    </div>
  );
}
