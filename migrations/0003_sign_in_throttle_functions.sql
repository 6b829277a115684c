-- Sign-in throttling per account: a window of failed attempts, reached only through these
-- functions (the table has RLS forced and no policy for any application role).
ALTER TABLE auth_throttle ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE auth_throttle FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Seconds until the account may try again; 0 when it may try now.
CREATE FUNCTION auth_throttle_wait(p_key text, p_limit int, p_window interval)
RETURNS int
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce((
    SELECT greatest(1, ceil(extract(epoch FROM (t.window_start + p_window - now())))::int)
    FROM auth_throttle t
    WHERE t.key = p_key AND t.failures >= p_limit AND t.window_start + p_window > now()
  ), 0)
$$;
--> statement-breakpoint
CREATE FUNCTION auth_throttle_fail(p_key text, p_window interval)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  INSERT INTO auth_throttle AS t (key, failures, window_start) VALUES (p_key, 1, now())
  ON CONFLICT (key) DO UPDATE SET
    failures = CASE WHEN t.window_start + p_window > now() THEN t.failures + 1 ELSE 1 END,
    window_start = CASE WHEN t.window_start + p_window > now() THEN t.window_start ELSE now() END
$$;
--> statement-breakpoint
CREATE FUNCTION auth_throttle_clear(p_key text)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DELETE FROM auth_throttle WHERE key = p_key
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_throttle_wait(text, int, interval), auth_throttle_fail(text, interval), auth_throttle_clear(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_throttle_wait(text, int, interval), auth_throttle_fail(text, interval), auth_throttle_clear(text) TO pdm_app, pdm_ops;
