/**
 * The demo's alerts: a rule raising one when an engine's predicted remaining life falls below
 * RUL_BELOW cycles (set before the fleet is scored), and, after scoring, the training engines'
 * alerts acknowledged by the owner (those engines ran to failure and their failures are recorded),
 * so the inbox shows the test engines' alerts open and the others acknowledged.
 */
type GraphQL = <T>(query: string, variables: Record<string, unknown>, token: string) => Promise<T>;

const RUL_BELOW = 15;

export async function setDemoAlertRule(graphql: GraphQL, token: string, assetTypeId: string, say: (l: string) => void): Promise<void> {
  await graphql(
    "mutation ($input: AlertRuleInput!) { setAlertRule(input: $input) { assetTypeId } }",
    { input: { assetTypeId, rulBelow: RUL_BELOW, anomaly: false } },
    token,
  );
  say(`alert rule: an engine whose predicted remaining life is below ${RUL_BELOW} cycles raises an alert`);
}

interface AlertRow {
  id: string;
  assetExternalId: string;
}

async function openAlerts(graphql: GraphQL, token: string): Promise<AlertRow[]> {
  const rows: AlertRow[] = [];
  let after: string | null = null;
  do {
    const { alerts }: { alerts: { edges: { node: AlertRow }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
      await graphql(
        "query ($after: String) { alerts(first: 100, after: $after, statuses: [OPEN]) { edges { node { id assetExternalId } } pageInfo { hasNextPage endCursor } } }",
        { after },
        token,
      );
    rows.push(...alerts.edges.map((e) => e.node));
    after = alerts.pageInfo.hasNextPage ? alerts.pageInfo.endCursor : null;
  } while (after);
  return rows;
}

export async function acknowledgeFailedEngines(graphql: GraphQL, token: string, say: (l: string) => void): Promise<void> {
  const open = await openAlerts(graphql, token);
  const failed = open.filter((a) => a.assetExternalId.startsWith("train-")).map((a) => a.id);
  for (let i = 0; i < failed.length; i += 100) {
    await graphql("mutation ($ids: [ID!]!) { acknowledgeAlerts(ids: $ids) { id } }", { ids: failed.slice(i, i + 100) }, token);
  }
  say(
    `alerts: ${open.length - failed.length} test engines open; ${failed.length} alerts of training engines acknowledged now (they ran to failure)`,
  );
}
