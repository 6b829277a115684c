-- The MQTT bridge's identities. Each API copy holds one broker client id, and with it a
-- persistent session in the shared subscription, under a lease it renews every few seconds.
-- No two live copies hold the same id (they would take the session from each other); the
-- session of a copy that stopped or died is resumed by the next copy that claims its id, or
-- drained by a live copy once its lease has expired. Reached only through the functions below
-- (RLS forced, no policy for any application role).
CREATE TABLE "mqtt_bridge_leases" (
	"client_id" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	-- True while the holder is stopping: it no longer counts as a live member of the subscription.
	"leaving" boolean DEFAULT false NOT NULL,
	CONSTRAINT "mqtt_bridge_leases_client_id_valid" CHECK ("client_id" ~ '^[A-Za-z0-9_.-]{1,64}$')
);
--> statement-breakpoint
ALTER TABLE mqtt_bridge_leases ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE mqtt_bridge_leases FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Claims a client id for p_holder: p_fixed when given (null when another live copy holds it),
-- else the lowest-numbered p_prefix||n that is free or whose lease has expired. Claiming an
-- expired id resumes the session its last holder left (and the messages queued in it).
CREATE FUNCTION mqtt_bridge_claim(p_holder text, p_prefix text, p_fixed text, p_ttl_seconds int)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_id text;
  v_n int := 0;
BEGIN
  -- One claim at a time: two copies starting together never pick the same free number.
  LOCK TABLE mqtt_bridge_leases IN SHARE ROW EXCLUSIVE MODE;
  IF p_fixed IS NOT NULL THEN
    INSERT INTO mqtt_bridge_leases AS l (client_id, holder, expires_at)
    VALUES (p_fixed, p_holder, clock_timestamp() + make_interval(secs => p_ttl_seconds))
    ON CONFLICT (client_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at, leaving = false
      WHERE l.expires_at < clock_timestamp() OR l.holder = excluded.holder
    RETURNING client_id INTO v_id;
    RETURN v_id;
  END IF;
  SELECT client_id INTO v_id FROM mqtt_bridge_leases
  WHERE expires_at < clock_timestamp() AND client_id LIKE p_prefix || '%'
  ORDER BY length(client_id), client_id LIMIT 1;
  IF v_id IS NULL THEN
    LOOP
      v_id := p_prefix || v_n;
      EXIT WHEN NOT EXISTS (SELECT 1 FROM mqtt_bridge_leases WHERE client_id = v_id);
      v_n := v_n + 1;
    END LOOP;
  END IF;
  INSERT INTO mqtt_bridge_leases AS l (client_id, holder, expires_at)
  VALUES (v_id, p_holder, clock_timestamp() + make_interval(secs => p_ttl_seconds))
  ON CONFLICT (client_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at, leaving = false;
  RETURN v_id;
END
$$;
--> statement-breakpoint
-- Extends p_holder's lease of p_client_id; false when it was lost (expired and taken by another).
CREATE FUNCTION mqtt_bridge_renew(p_holder text, p_client_id text, p_ttl_seconds int)
RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH renewed AS (
    UPDATE mqtt_bridge_leases SET expires_at = clock_timestamp() + make_interval(secs => p_ttl_seconds)
    WHERE client_id = p_client_id AND holder = p_holder
    RETURNING 1
  )
  SELECT EXISTS (SELECT 1 FROM renewed);
$$;
--> statement-breakpoint
-- Marks p_holder's lease as leaving and tells whether another copy stays subscribed: only then
-- may the leaving copy unsubscribe (else messages published meanwhile would have no session).
-- Serialised, so of two copies stopping together at most one unsubscribes on the other's word.
CREATE FUNCTION mqtt_bridge_leave(p_holder text, p_client_id text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  LOCK TABLE mqtt_bridge_leases IN SHARE ROW EXCLUSIVE MODE;
  UPDATE mqtt_bridge_leases SET leaving = true WHERE client_id = p_client_id AND holder = p_holder;
  RETURN EXISTS (
    SELECT 1 FROM mqtt_bridge_leases
    WHERE client_id <> p_client_id AND NOT leaving AND expires_at > clock_timestamp()
  );
END
$$;
--> statement-breakpoint
-- Ends p_holder's lease. p_session_ended: the broker session is gone (the row is deleted);
-- else the lease expires now, so the next claim resumes the session or a live copy drains it.
CREATE FUNCTION mqtt_bridge_release(p_holder text, p_client_id text, p_session_ended boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF p_session_ended THEN
    DELETE FROM mqtt_bridge_leases WHERE client_id = p_client_id AND holder = p_holder;
  ELSE
    UPDATE mqtt_bridge_leases SET expires_at = clock_timestamp(), leaving = false
    WHERE client_id = p_client_id AND holder = p_holder;
  END IF;
END
$$;
--> statement-breakpoint
-- Takes over one expired lease (a copy that died, or left its session behind) so that p_holder
-- can drain and end its session; null when there is none.
CREATE FUNCTION mqtt_bridge_adopt(p_holder text, p_ttl_seconds int)
RETURNS text
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE mqtt_bridge_leases SET holder = p_holder, expires_at = clock_timestamp() + make_interval(secs => p_ttl_seconds), leaving = true
  WHERE client_id = (
    SELECT client_id FROM mqtt_bridge_leases WHERE expires_at < clock_timestamp()
    ORDER BY expires_at LIMIT 1 FOR UPDATE SKIP LOCKED
  )
  RETURNING client_id;
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION mqtt_bridge_claim(text, text, text, int), mqtt_bridge_renew(text, text, int), mqtt_bridge_leave(text, text), mqtt_bridge_release(text, text, boolean), mqtt_bridge_adopt(text, int) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION mqtt_bridge_claim(text, text, text, int), mqtt_bridge_renew(text, text, int), mqtt_bridge_leave(text, text), mqtt_bridge_release(text, text, boolean), mqtt_bridge_adopt(text, int) TO pdm_app;
