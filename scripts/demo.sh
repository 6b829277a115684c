#!/usr/bin/env bash
# The demo: stack up, migrate, start the API and a worker, load C-MAPSS, train and score through
# the workflows, print the engines closest to failure, stop.
set -euo pipefail
npm run --silent build
node dist/scripts/bundle-workflows.js >&2
source scripts/with-stack.sh
node dist/scripts/migrate.js >&2
node dist/scripts/demo.js "$@"
