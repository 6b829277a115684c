# shellcheck shell=bash
# Sourced by scripts/stack for `scripts/stack clients`: installs the InfluxDB clients the tests drive
# against the API and prints where they are as `export NAME='value'` lines. Each is fetched from its
# registry once per machine and kept under $CACHE, keyed by what pins it, so the tests never download:
#   PDM_INFLUX_CLI      the influx 1.x CLI (Debian's influxdb-client)
#   PDM_CLIENTS_PYTHON  a virtualenv's python with the official influxdb-client and standardwebhooks
#                       (test/clients/python/requirements.txt, pinned by hash)
#   PDM_INFLUX_GO       test/clients/go built against the official influxdb-client-go
#   PDM_TELEGRAF        Telegraf with only the plugins the tests use
# Uses log, die, ensure_packages, find_go, CACHE and BIN of scripts/stack.

CLIENT_APT_PACKAGES=(influxdb-client python3-venv)
TELEGRAF_MODULE=github.com/influxdata/telegraf/cmd/telegraf@v1.37.2
# Telegraf's `custom` build tag leaves out every plugin not named by a tag of its own.
TELEGRAF_TAGS=custom,inputs.file,parsers.influx,outputs.influxdb,outputs.influxdb_v2

# The first 16 hex characters of the sha256 of the files given (names and contents).
files_hash() {
  local file
  for file in "$@"; do
    printf '%s\n' "${file##*/}"
    cat "$file"
  done | sha256sum | cut -c1-16
}

# A virtualenv of Debian's own Python (not whatever python3 is first on PATH) per requirements hash;
# a folder without the .complete mark is an interrupted install and is made again.
ensure_client_python() {
  local requirements=$REPO_ROOT/test/clients/python/requirements.txt venv
  venv=$CACHE/py/$(files_hash "$requirements")
  if [[ ! -f $venv/.complete ]]; then
    log "creating the Python client virtualenv in $venv"
    rm -rf "$venv"
    /usr/bin/python3 -m venv "$venv" >&2 || die "could not create the virtualenv $venv"
    "$venv/bin/pip" install --disable-pip-version-check --no-input --quiet --require-hashes \
      -r "$requirements" >&2 || die "pip install -r $requirements failed"
    touch "$venv/.complete"
  fi
  CLIENT_PYTHON=$venv/bin/python
}

# test/clients/go, built once per version of its sources and go.sum.
ensure_client_go() {
  local dir=$REPO_ROOT/test/clients/go out go
  out=$BIN/influx-go-$(files_hash "$dir/go.mod" "$dir/go.sum" "$dir"/*.go)
  if [[ ! -x $out ]]; then
    go=$(find_go)
    log "building the Go client program into $out"
    mkdir -p "$BIN"
    (cd "$dir" && GOTOOLCHAIN=auto CGO_ENABLED=0 GOFLAGS='-buildvcs=false -mod=readonly' \
      "$go" build -o "$out.tmp" .) >&2 || die "go build in $dir failed"
    mv -f "$out.tmp" "$out"
  fi
  CLIENT_GO=$out
}

# Telegraf from the Go module proxy with only our plugins (about 30 MB instead of 250).
ensure_telegraf() {
  local version=${TELEGRAF_MODULE##*@} out go tmp
  out=$BIN/telegraf-$version-$(printf '%s' "$TELEGRAF_TAGS" | sha256sum | cut -c1-8)
  if [[ ! -x $out ]]; then
    go=$(find_go)
    log "building Telegraf $version (plugins: $TELEGRAF_TAGS) into $out; this takes a minute once"
    tmp=$(mktemp -d)
    (cd / && GOBIN=$tmp GOTOOLCHAIN=auto CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
      "$go" install -tags "$TELEGRAF_TAGS" "$TELEGRAF_MODULE") >&2 || { rm -rf "$tmp"; die "go install $TELEGRAF_MODULE failed"; }
    mkdir -p "$BIN"
    mv -f "$tmp/telegraf" "$out"
    rm -rf "$tmp"
  fi
  CLIENT_TELEGRAF=$out
}

cmd_clients() {
  ensure_packages "${CLIENT_APT_PACKAGES[@]}"
  ensure_client_python
  ensure_client_go
  ensure_telegraf
  printf "export PDM_INFLUX_CLI='%s'\n" "$(command -v influx)"
  printf "export PDM_CLIENTS_PYTHON='%s'\n" "$CLIENT_PYTHON"
  printf "export PDM_INFLUX_GO='%s'\n" "$CLIENT_GO"
  printf "export PDM_TELEGRAF='%s'\n" "$CLIENT_TELEGRAF"
}
