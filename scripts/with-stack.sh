# Sourced by the test and demo scripts: starts the local stack when it is not running (and stops
# it again on exit, but only if this script started it), then exports its environment and the
# application's own settings.
if bash scripts/stack status >/dev/null 2>&1; then
  STARTED_STACK=0
else
  echo "starting the local stack (first time on a machine: installs packages and builds Go tools)" >&2
  bash scripts/stack up >/dev/null
  STARTED_STACK=1
  trap 'echo "stopping the local stack" >&2; bash scripts/stack down' EXIT
fi
eval "$(bash scripts/stack env)"

# A key-encryption secret for this stack folder, made once; signing keys in its database need it.
APP_ENV="${PDM_STACK_DIR:-$ROOT/.stack}/app.env"
if [ ! -f "$APP_ENV" ]; then
  umask 077
  echo "export AUTH_KEY_ENCRYPTION_SECRET='$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')'" > "$APP_ENV"
fi
# shellcheck disable=SC1090
source "$APP_ENV"
