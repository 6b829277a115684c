-- Account safety: sign-in and sign-up throttling with exponential backoff (per account, per
-- account and client address, per client address), session generations and revoked tokens so a
-- sign-out really ends a token, and an outbox of account notices for the operator's mailer.

-- Attempts per throttling key (a hash of "kind:value"). Every attempt is counted before the
-- password is checked; past the free attempts each further one blocks the key for twice as long
-- as the one before, up to a ceiling. Reached only through the functions below.
CREATE TABLE "auth_backoff" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"last_attempt" timestamp with time zone NOT NULL,
	"blocked_until" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE auth_backoff ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE auth_backoff FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE INDEX "auth_backoff_last_attempt_idx" ON "auth_backoff" USING btree ("last_attempt");
--> statement-breakpoint
-- Counts one attempt on a key; from its free-th attempt on, blocks the key for base, then twice
-- as long after each further attempt, up to the ceiling. A key
-- forgets its attempts after p_forget_seconds without one. Runs under the row's lock.
CREATE FUNCTION auth_backoff_attempt(p_key text, p_free int, p_base_seconds int, p_max_seconds int, p_forget_seconds int)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_row auth_backoff%ROWTYPE;
  v_failures int;
BEGIN
  INSERT INTO auth_backoff AS b (key, failures, last_attempt) VALUES (p_key, 0, now())
  ON CONFLICT (key) DO UPDATE SET key = b.key
  RETURNING * INTO v_row;
  v_failures := CASE WHEN v_row.last_attempt + make_interval(secs => p_forget_seconds) < now() THEN 0 ELSE v_row.failures END + 1;
  UPDATE auth_backoff SET
    failures = v_failures,
    last_attempt = now(),
    blocked_until = CASE WHEN v_failures >= p_free
      THEN now() + make_interval(secs => least(p_max_seconds::float8, p_base_seconds * power(2::float8, least(v_failures - p_free, 30))))
      ELSE NULL END
  WHERE key = p_key;
END $$;
--> statement-breakpoint
-- One attempt guarded by several keys (in a fixed order: client address, account, account and
-- address). Seconds to wait when any key is blocked (the attempt is then not counted anywhere);
-- otherwise counts the attempt on every key and answers 0. Counting before the password is
-- checked, under each key's row lock, means parallel attempts cannot slip past.
CREATE FUNCTION auth_backoff_attempts(p_keys text[], p_free int[], p_base_seconds int[], p_max_seconds int[], p_forget_seconds int[])
RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_wait int;
BEGIN
  IF array_length(p_keys, 1) IS NULL THEN
    RETURN 0;
  END IF;
  FOR i IN 1 .. array_length(p_keys, 1) LOOP
    PERFORM 1 FROM auth_backoff b WHERE b.key = p_keys[i] FOR UPDATE;
  END LOOP;
  SELECT max(greatest(1, ceil(extract(epoch FROM (b.blocked_until - now())))::int)) INTO v_wait
  FROM auth_backoff b WHERE b.key = ANY (p_keys) AND b.blocked_until > now();
  IF v_wait IS NOT NULL THEN
    RETURN v_wait;
  END IF;
  FOR i IN 1 .. array_length(p_keys, 1) LOOP
    PERFORM auth_backoff_attempt(p_keys[i], p_free[i], p_base_seconds[i], p_max_seconds[i], p_forget_seconds[i]);
  END LOOP;
  -- Forgotten keys go, a few at a time, so the table stays the size of the recent attempts.
  DELETE FROM auth_backoff WHERE key IN (
    SELECT b.key FROM auth_backoff b WHERE b.last_attempt < now() - interval '1 day' LIMIT 10 FOR UPDATE SKIP LOCKED);
  RETURN 0;
END $$;
--> statement-breakpoint
-- A successful attempt gives back its own count; the block lifts when the key is back within
-- its free attempts. Earlier failures stay counted.
CREATE FUNCTION auth_backoff_refund(p_key text, p_free int)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE auth_backoff SET
    failures = greatest(failures - 1, 0),
    blocked_until = CASE WHEN failures - 1 < p_free THEN NULL ELSE blocked_until END
  WHERE key = p_key
$$;
--> statement-breakpoint
CREATE FUNCTION auth_backoff_clear(p_key text)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DELETE FROM auth_backoff WHERE key = p_key
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_backoff_attempt(text, int, int, int, int), auth_backoff_attempts(text[], int[], int[], int[], int[]), auth_backoff_refund(text, int), auth_backoff_clear(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_backoff_attempts(text[], int[], int[], int[], int[]), auth_backoff_refund(text, int), auth_backoff_clear(text) TO pdm_app, pdm_ops;
--> statement-breakpoint

-- Sessions: every access token carries its user's (or operator's) generation; signing out
-- everywhere or changing the password raises it, and older tokens stop working at once.
ALTER TABLE "users" ADD COLUMN "session_generation" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "session_generation" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- Single tokens signed out before they expire; a row goes once its token has expired.
CREATE TABLE "auth_revoked_tokens" (
	"token_id" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE auth_revoked_tokens ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE auth_revoked_tokens FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE INDEX "auth_revoked_tokens_expires_idx" ON "auth_revoked_tokens" USING btree ("expires_at");
--> statement-breakpoint
-- The caller of every member request, in one round trip: the role, when the membership exists,
-- the token's generation is the user's current one and the token was not signed out.
CREATE FUNCTION auth_member_session(p_tenant_id text, p_user_id text, p_generation int, p_token_id text)
RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id
  WHERE m.tenant_id = p_tenant_id AND m.user_id = p_user_id AND u.session_generation = p_generation
    AND NOT EXISTS (SELECT 1 FROM auth_revoked_tokens r WHERE r.token_id = p_token_id)
$$;
--> statement-breakpoint
CREATE FUNCTION auth_user_email(p_user_id text)
RETURNS TABLE (email text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT u.email FROM users u WHERE u.id = p_user_id
$$;
--> statement-breakpoint
CREATE FUNCTION auth_user_session_generation(p_user_id text)
RETURNS int
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT u.session_generation FROM users u WHERE u.id = p_user_id
$$;
--> statement-breakpoint
CREATE FUNCTION auth_revoke_token(p_token_id text, p_expires_at timestamptz)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DELETE FROM auth_revoked_tokens WHERE token_id IN (
    SELECT token_id FROM auth_revoked_tokens WHERE expires_at < now() LIMIT 100);
  INSERT INTO auth_revoked_tokens (token_id, expires_at) VALUES (p_token_id, p_expires_at) ON CONFLICT DO NOTHING;
$$;
--> statement-breakpoint
-- Ends every token of the user; the new generation.
CREATE FUNCTION auth_end_user_sessions(p_user_id text)
RETURNS int
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE users SET session_generation = session_generation + 1 WHERE id = p_user_id RETURNING session_generation
$$;
--> statement-breakpoint
CREATE FUNCTION auth_end_operator_sessions(p_operator_id text)
RETURNS int
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE operators SET session_generation = session_generation + 1 WHERE id = p_operator_id RETURNING session_generation
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_member_session(text, text, int, text), auth_user_session_generation(text), auth_user_email(text),
  auth_revoke_token(text, timestamptz), auth_end_user_sessions(text), auth_end_operator_sessions(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_member_session(text, text, int, text), auth_user_session_generation(text), auth_user_email(text),
  auth_end_user_sessions(text) TO pdm_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_revoke_token(text, timestamptz) TO pdm_app, pdm_ops;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_end_operator_sessions(text) TO pdm_ops;
--> statement-breakpoint

-- Messages to the holder of an address (a welcome, a sign-up with an address that has an
-- account, a changed password). The API only adds rows; the operator's mailer (its own role,
-- granted SELECT and UPDATE (sent_at) by the operator) sends them and sets sent_at.
CREATE TABLE "account_notices" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"email" text NOT NULL,
	"user_id" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "account_notices_kind_valid" CHECK ("account_notices"."kind" in ('welcome','sign_up_with_existing_account','password_changed'))
);
--> statement-breakpoint
ALTER TABLE account_notices ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE account_notices FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE INDEX "account_notices_unsent_idx" ON "account_notices" USING btree ("created_at") WHERE "sent_at" IS NULL;
--> statement-breakpoint
CREATE INDEX "account_notices_email_idx" ON "account_notices" USING btree ("email");
--> statement-breakpoint
CREATE FUNCTION auth_add_account_notice(p_id text, p_kind text, p_email text, p_data jsonb)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  INSERT INTO account_notices (id, kind, email, user_id, data)
  VALUES (p_id, p_kind, lower(p_email), (SELECT u.id FROM users u WHERE u.email = lower(p_email)), p_data)
$$;
--> statement-breakpoint
-- A new password ends every other session and tells the address; the new generation.
CREATE FUNCTION auth_change_password(p_user_id text, p_password_hash text, p_notice_id text)
RETURNS int
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  INSERT INTO account_notices (id, kind, email, user_id)
    SELECT p_notice_id, 'password_changed', u.email, u.id FROM users u WHERE u.id = p_user_id;
  UPDATE users SET password_hash = p_password_hash, session_generation = session_generation + 1
  WHERE id = p_user_id RETURNING session_generation;
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_add_account_notice(text, text, text, jsonb), auth_change_password(text, text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_add_account_notice(text, text, text, jsonb), auth_change_password(text, text, text) TO pdm_app;
