import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

// Runs migrations/provision/roles.sql (through npm run db:provision's script) against the stack's
// cluster again, with the passwords the stack gave the roles: it must change nothing that works.

const script = fileURLToPath(new URL("../scripts/provision-db.js", import.meta.url));

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run: eval "$(bash scripts/stack env)"`);
  return value;
}

const passwordOf = (url: string) => decodeURIComponent(new URL(url).password);

function provision(extra: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv = {
    ...process.env,
    PDM_OWNER_PASSWORD: passwordOf(env("DATABASE_OWNER_URL")),
    PDM_APP_PASSWORD: passwordOf(env("DATABASE_URL")),
    PDM_OPS_PASSWORD: passwordOf(env("DATABASE_OPS_URL")),
    ...extra,
  };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run db:provision", () => {
  it("runs again on a provisioned cluster and leaves the roles as the schema's contract needs them", async () => {
    const first = await provision({});
    assert.equal(first.code, 0, first.stderr);
    const again = await provision({});
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /provisioned database pdm and roles pdm_owner, pdm_app, pdm_ops/);

    const admin = postgres(env("DATABASE_ADMIN_URL"), { max: 1, onnotice: () => {} });
    const app = postgres(env("DATABASE_URL"), { max: 1, onnotice: () => {} });
    try {
      const roles = await admin<{ rolname: string; rolbypassrls: boolean; rolsuper: boolean; rolcanlogin: boolean }[]>`
        SELECT rolname, rolbypassrls, rolsuper, rolcanlogin FROM pg_roles WHERE rolname IN ('pdm_owner', 'pdm_app', 'pdm_ops') ORDER BY rolname`;
      assert.deepEqual(
        roles.map((r) => ({ ...r })),
        [
          { rolname: "pdm_app", rolbypassrls: false, rolsuper: false, rolcanlogin: true },
          { rolname: "pdm_ops", rolbypassrls: false, rolsuper: false, rolcanlogin: true },
          { rolname: "pdm_owner", rolbypassrls: true, rolsuper: false, rolcanlogin: true },
        ],
      );
      const [db] = await admin<{ owner: string; publicConnect: boolean }[]>`
        SELECT pg_get_userbyid(datdba) AS owner, has_database_privilege('public', datname, 'CONNECT') AS "publicConnect"
          FROM pg_database WHERE datname = 'pdm'`;
      assert.deepEqual({ ...db }, { owner: "pdm_owner", publicConnect: false });
      // The API's role still signs in with its password and still may not create anything in public.
      const [grants] = await app<{ who: string; create: boolean; usage: boolean }[]>`
        SELECT current_user AS who, has_schema_privilege('public', 'CREATE') AS create, has_schema_privilege('public', 'USAGE') AS usage`;
      assert.deepEqual({ ...grants }, { who: "pdm_app", create: false, usage: true });
    } finally {
      await admin.end();
      await app.end();
    }
  });

  it("names each missing setting and changes nothing", async () => {
    const run = await provision({ PDM_OPS_PASSWORD: undefined, DATABASE_ADMIN_URL: "mysql://root@db/x" });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /PDM_OPS_PASSWORD is not set: the password of pdm_ops/);
    assert.match(run.stderr, /DATABASE_ADMIN_URL must be a postgres:\/\/ URL/);
    assert.doesNotMatch(run.stderr, /PDM_APP_PASSWORD/);
  });
});
