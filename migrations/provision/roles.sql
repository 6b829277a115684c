-- The database, its three roles and their grants: what the migrations expect to exist.
-- Run by a superuser (or a role with CREATEROLE and CREATEDB) with psql 15 or later, connected to
-- any database of the cluster (e.g. postgres). Safe to run again: it creates what is missing and
-- sets the passwords and attributes every time.
--
--   PDM_OWNER_PASSWORD=… PDM_APP_PASSWORD=… PDM_OPS_PASSWORD=… \
--     psql "$DATABASE_ADMIN_URL" -X -f migrations/provision/roles.sql
--
-- or `npm run db:provision`, which runs exactly this. The passwords are the psql variables
-- owner_pw, app_pw and ops_pw; when not given with -v they are read from the environment
-- variables above. The database name is the variable dbname (default pdm).

\set ON_ERROR_STOP 1
\if :{?dbname}
\else
  \set dbname pdm
\endif
\if :{?owner_pw}
\else
  \getenv owner_pw PDM_OWNER_PASSWORD
\endif
\if :{?owner_pw}
  SELECT :'owner_pw' = '' AS pdm_missing \gset
\else
  \set pdm_missing true
\endif
\if :pdm_missing
  DO $$ BEGIN RAISE EXCEPTION 'the password of pdm_owner is missing: set PDM_OWNER_PASSWORD (or psql -v owner_pw=...)'; END $$;
\endif
\if :{?app_pw}
\else
  \getenv app_pw PDM_APP_PASSWORD
\endif
\if :{?app_pw}
  SELECT :'app_pw' = '' AS pdm_missing \gset
\else
  \set pdm_missing true
\endif
\if :pdm_missing
  DO $$ BEGIN RAISE EXCEPTION 'the password of pdm_app is missing: set PDM_APP_PASSWORD (or psql -v app_pw=...)'; END $$;
\endif
\if :{?ops_pw}
\else
  \getenv ops_pw PDM_OPS_PASSWORD
\endif
\if :{?ops_pw}
  SELECT :'ops_pw' = '' AS pdm_missing \gset
\else
  \set pdm_missing true
\endif
\if :pdm_missing
  DO $$ BEGIN RAISE EXCEPTION 'the password of pdm_ops is missing: set PDM_OPS_PASSWORD (or psql -v ops_pw=...)'; END $$;
\endif

SELECT format('CREATE ROLE %I', r)
  FROM unnest(ARRAY['pdm_owner', 'pdm_app', 'pdm_ops']) AS r
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \gexec

-- Owns the database and every table; runs migrations and the provisioning commands.
ALTER ROLE pdm_owner LOGIN BYPASSRLS NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_pw';
-- The API's role: owns nothing and is subject to row-level security.
ALTER ROLE pdm_app LOGIN NOBYPASSRLS NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_pw';
-- The operators' role: reaches across tenants only through the views and functions granted to it.
ALTER ROLE pdm_ops LOGIN NOBYPASSRLS NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'ops_pw';

SELECT format('CREATE DATABASE %I OWNER pdm_owner', :'dbname')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'dbname') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'dbname') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO pdm_app, pdm_ops', :'dbname') \gexec

\connect :"dbname"
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO pdm_owner;
GRANT USAGE ON SCHEMA public TO pdm_app, pdm_ops;
