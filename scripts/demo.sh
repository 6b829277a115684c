#!/usr/bin/env bash
# The demo: stack up, migrate, start the API and a worker, load C-MAPSS, train and score through
# the workflows, print the engines closest to failure, stop.
set -euo pipefail
npm run --silent build
node dist/scripts/bundle-workflows.js >&2
source scripts/with-stack.sh
# The demo may be run many times an hour from this machine; the per-address sign-up limit is for strangers.
export AUTH_SIGN_UPS_PER_ADDRESS="${AUTH_SIGN_UPS_PER_ADDRESS:-10000}"
node dist/scripts/migrate.js >&2
node dist/scripts/demo.js "$@"
