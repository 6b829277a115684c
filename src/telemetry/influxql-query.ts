import type { ApiKeyPrincipal, MemberPrincipal, TenantContext } from "../core/context.js";
import type { TelemetryDeps } from "./deps.js";
import type { Statement } from "./influxql/ast.js";
import { statementProblem } from "./influxql/checks.js";
import type { InfluxqlPart, InfluxqlRead } from "./store.js";

/** The name a tenant reads its telemetry by on /query (its one database; the real name stays inside). */
export const PUBLIC_DATABASE = "telemetry";

/** Rate-limit points one statement costs, charged to the caller's GraphQL bucket before anything runs. */
export const STATEMENT_COST = 10;

/** Charges the caller's rate-limit bucket, or throws RATE_LIMITED (the edge owns the buckets). */
export type QueryCharge = (principal: MemberPrincipal | ApiKeyPrincipal, cost: number) => Promise<void>;

export interface InfluxqlDeps extends Pick<TelemetryDeps, "store" | "clock"> {
  readonly chargeQuery: QueryCharge;
}

export interface InfluxqlInput {
  readonly statements: readonly Statement[];
  readonly epoch: InfluxqlRead["epoch"];
  /** Rows per part of an answer. */
  readonly chunkSize: number;
  /** Rows the request may answer, all statements together: a statement past it is refused whole. */
  readonly maxRows: number;
}

const DATABASES: InfluxqlPart = {
  series: [{ name: "databases", columns: ["name"], values: [[PUBLIC_DATABASE]] }],
};

/**
 * Answers InfluxQL statements from the tenant's own database: charges the rate limit (in the
 * tenant's transaction), then reads InfluxDB once that transaction has ended. A statement's
 * answer is its parts; after a failed statement the rest are "not executed", as InfluxDB answers.
 */
export async function queryInfluxql(ctx: TenantContext<InfluxqlDeps>, input: InfluxqlInput): Promise<() => Promise<InfluxqlPart[][]>> {
  const { store, clock, chargeQuery } = ctx.deps;
  const tenantId = ctx.principal.tenantId;
  const caller = ctx.principal;
  if (caller.kind === "member" || caller.kind === "apiKey") await chargeQuery(caller, input.statements.length * STATEMENT_COST);
  const nowMs = clock.now().getTime();
  return async () => {
    const answers: InfluxqlPart[][] = [];
    let failed = false;
    let rows = 0;
    for (const statement of input.statements) {
      if (failed) {
        answers.push([{ error: "not executed" }]);
        continue;
      }
      const problem = statementProblem(statement, nowMs);
      if (problem !== undefined) {
        answers.push([{ error: problem }]);
        failed = true;
        continue;
      }
      if (statement.kind === "showDatabases") answers.push([DATABASES]);
      else if (statement.kind === "createDatabase") answers.push([{}]);
      else {
        const read = await store.influxql(tenantId, {
          statement,
          epoch: input.epoch,
          chunkSize: input.chunkSize,
          maxRows: input.maxRows - rows,
          publicDatabase: PUBLIC_DATABASE,
        });
        rows += read.rows;
        answers.push(read.parts);
        failed = read.parts.some((p) => p.error !== undefined);
      }
    }
    return answers;
  };
}
