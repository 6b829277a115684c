#!/usr/bin/env bash
# Runs one benchmark of bench/ against the local stack: ./run bench graphql-overhead [args]
set -euo pipefail
name="${1:?usage: ./run bench NAME [args] (NAME is a file of bench/ without .ts)}"
shift
npm run --silent build
source scripts/with-stack.sh
node dist/scripts/migrate.js >&2
node dist/bench/"$name".js "$@"
