import { GraphiQL } from "graphiql";
import { useMemo, useRef, useState } from "react";
import { createFetcher } from "./fetcher";

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
  const current = useRef(token);
  current.current = token;
  // One fetcher for the page's life: the schema is loaded once; each operation reads the token as it is.
  const fetcher = useMemo(() => createFetcher(() => current.current), []);
  return (
    <div className="ide">
      <header className="ide-bar">
        <h1>GraphQL IDE</h1>
        <label className="ide-token">
          <span>Token</span>
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="Paste an access token or API key (sent as Authorization: Bearer …)"
            value={token}
            onChange={(event) => setToken(event.target.value)}
          />
        </label>
        <span className="ide-hint">{token.trim() === "" ? "No token: anonymous" : "Sent as Authorization: Bearer"}</span>
      </header>
      <div className="ide-main">
        <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} forcedTheme="light" shouldPersistHeaders={false} />
      </div>
    </div>
  );
}
