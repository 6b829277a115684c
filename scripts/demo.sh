#!/usr/bin/env bash
# The demo: stack up, migrate, start the API, a real GraphQL query with a signed token, stop.
set -euo pipefail
npm run --silent build
source scripts/with-stack.sh
node dist/scripts/migrate.js >&2
node dist/scripts/demo.js "$@"
