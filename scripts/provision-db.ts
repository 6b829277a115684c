import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * npm run db:provision — creates the database pdm, the roles pdm_owner, pdm_app and pdm_ops and
 * their grants by running migrations/provision/roles.sql with psql (15 or later), the same file
 * `scripts/stack` runs. Safe to run again; it resets the three passwords to the ones given.
 *
 *   DATABASE_ADMIN_URL   a superuser's (or a CREATEROLE + CREATEDB role's) URL, any database
 *   PDM_OWNER_PASSWORD, PDM_APP_PASSWORD, PDM_OPS_PASSWORD   the roles' passwords
 *   PDM_DATABASE         the database's name (default pdm)
 */
export const ROLES_SQL = fileURLToPath(new URL("../../migrations/provision/roles.sql", import.meta.url));

const PASSWORDS = [
  ["PDM_OWNER_PASSWORD", "pdm_owner: migrations and provisioning commands (DATABASE_OWNER_URL)"],
  ["PDM_APP_PASSWORD", "pdm_app: the API and the worker (DATABASE_URL)"],
  ["PDM_OPS_PASSWORD", "pdm_ops: the operators' path across tenants (DATABASE_OPS_URL)"],
] as const;

/** What is wrong with the environment, one actionable line each; empty when it is complete. */
export function provisionProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  const problems: string[] = [];
  const admin = env.DATABASE_ADMIN_URL;
  if (!admin) {
    problems.push("DATABASE_ADMIN_URL is not set: a superuser's URL, e.g. postgres://postgres:PASSWORD@HOST:5432/postgres");
  } else if (!/^postgres(ql)?:\/\//.test(admin) || !URL.canParse(admin)) {
    problems.push("DATABASE_ADMIN_URL must be a postgres:// URL");
  }
  for (const [name, role] of PASSWORDS) {
    if (!env[name]) problems.push(`${name} is not set: the password of ${role}`);
  }
  const database = env.PDM_DATABASE;
  if (database !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(database)) {
    problems.push("PDM_DATABASE must be a plain lower-case name (letters, digits, _)");
  }
  return problems;
}

/** The major version of the psql on PATH, or undefined when there is none. */
function psqlMajor(): number | undefined {
  const run = spawnSync("psql", ["--version"], { encoding: "utf8" });
  if (run.error || run.status !== 0) return undefined;
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(run.stdout);
  return match ? Number(match[1]) : undefined;
}

async function main(): Promise<number> {
  const problems = provisionProblems(process.env);
  const major = psqlMajor();
  if (major === undefined) problems.push("psql is not on PATH: install the PostgreSQL client (15 or later)");
  else if (major < 15) problems.push(`psql ${major} is too old: roles.sql needs psql 15 or later (\\getenv)`);
  if (problems.length > 0) {
    process.stderr.write(`db:provision: cannot run:\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
    return 2;
  }
  // The admin password goes in the environment, not on the command line where other users of the machine could read it.
  const url = new URL(process.env.DATABASE_ADMIN_URL ?? "");
  const password = decodeURIComponent(url.password);
  url.password = "";
  const args = [
    "-X",
    "-q",
    "-v",
    "ON_ERROR_STOP=1",
    "-v",
    `dbname=${process.env.PDM_DATABASE ?? "pdm"}`,
    "-d",
    url.toString(),
    "-f",
    ROLES_SQL,
  ];
  const env = password ? { ...process.env, PGPASSWORD: password } : process.env;
  const child = spawn("psql", args, { env, stdio: ["ignore", "ignore", "inherit"] });
  const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? 1)));
  if (code === 0) process.stdout.write(`provisioned database ${process.env.PDM_DATABASE ?? "pdm"} and roles pdm_owner, pdm_app, pdm_ops\n`);
  return code;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main();
}
