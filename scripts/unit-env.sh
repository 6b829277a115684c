# shellcheck shell=bash
# Sourced by `./run test --unit`: a complete set of the application's settings for the unit tests
# (test/**/*.unit.test.ts), which parse configuration but never reach a service. Addresses point at
# port 9 of this machine, where nothing answers. A variable already set (e.g. a stack's, after
# `eval "$(./run stack env)"`) is kept.
: "${DATABASE_URL:=postgres://pdm_app:unit@127.0.0.1:9/pdm}"
: "${DATABASE_OWNER_URL:=postgres://pdm_owner:unit@127.0.0.1:9/pdm}"
: "${DATABASE_OPS_URL:=postgres://pdm_ops:unit@127.0.0.1:9/pdm}"
: "${INFLUX_URL:=http://127.0.0.1:9}"
: "${INFLUX_USERNAME:=pdm_admin}"
: "${INFLUX_PASSWORD:=unit}"
: "${MQTT_URL:=mqtt://127.0.0.1:9}"
: "${MQTT_ADMIN_USERNAME:=pdm_admin}"
: "${MQTT_ADMIN_PASSWORD:=unit}"
: "${TEMPORAL_ADDRESS:=127.0.0.1:9}"
: "${STRIPE_API_BASE:=http://127.0.0.1:9}"
: "${STRIPE_SECRET_KEY:=sk_test_unit}"
: "${STRIPE_WEBHOOK_SECRET:=whsec_$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')}"
: "${AUTH_KEY_ENCRYPTION_SECRET:=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')}"
export DATABASE_URL DATABASE_OWNER_URL DATABASE_OPS_URL INFLUX_URL INFLUX_USERNAME INFLUX_PASSWORD MQTT_URL \
  MQTT_ADMIN_USERNAME MQTT_ADMIN_PASSWORD TEMPORAL_ADDRESS STRIPE_API_BASE STRIPE_SECRET_KEY STRIPE_WEBHOOK_SECRET \
  AUTH_KEY_ENCRYPTION_SECRET
