#!/usr/bin/env bash
# The test command: lint, typecheck and build, then every test against the real services.
#   ./run test          everything (unit tests included)
#   ./run test --unit   typecheck, then only the unit tests, test/**/*.unit.test.ts: tests that
#                       need no service (no stack is started); a test file that needs one must not
#                       be named *.unit.test.ts
set -euo pipefail
started=$(date +%s)
if [[ ${1:-} == --unit ]]; then
  shift
  echo "== typecheck and compile" >&2
  tsc -p tsconfig.json
  # shellcheck source=scripts/unit-env.sh
  source scripts/unit-env.sh
  export NODE_ENV=test
  node --enable-source-maps --test --test-timeout=600000 "$@" "dist/test/**/*.unit.test.js"
  echo "unit tests took $(( $(date +%s) - started )) s" >&2
  exit 0
fi
echo "== lint" >&2
npm run --silent lint
echo "== typecheck and build" >&2
rm -rf dist
npm run --silent build
echo "== workflow bundle" >&2
node dist/scripts/bundle-workflows.js >&2
echo "== InfluxDB clients (installed once per machine)" >&2
clients_env=$(bash scripts/stack clients)
eval "$clients_env"
source scripts/with-stack.sh
echo "== migrate" >&2
node dist/scripts/migrate.js
echo "== tests" >&2
export NODE_ENV=test
# No --test-force-exit: it can end a file before all its tests ran. A file that leaks a handle
# would hang instead, so the whole run has a hard limit.
timeout --signal=TERM 3000 node --enable-source-maps --test --test-concurrency=1 --test-timeout=600000 "dist/test/**/*.test.js"
echo "test command took $(( $(date +%s) - started )) s" >&2
