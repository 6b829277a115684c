#!/usr/bin/env bash
# Runs one benchmark of bench/ against the local stack: ./run bench graphql-overhead [args]
set -euo pipefail
name="${1:?usage: ./run bench NAME [args] (NAME is a file of bench/ without .ts)}"
shift
npm run --silent build
source scripts/with-stack.sh
# A benchmark signs up many tenants from this machine; the per-address sign-up limit is for strangers.
export AUTH_SIGN_UPS_PER_ADDRESS="${AUTH_SIGN_UPS_PER_ADDRESS:-10000}"
node dist/scripts/migrate.js >&2
node dist/bench/"$name".js "$@"
