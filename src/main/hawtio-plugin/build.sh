#!/usr/bin/env bash
# Builds the CP Hub Hawtio plugin into $1 (Maven: target/classes/static/cphub-console) with the machine's node
# and npm; packages from the npm registry, pinned by package-lock.json. Installs only when the lock changed.
set -euo pipefail
cd "$(dirname "$0")"
command -v npm >/dev/null 2>&1 || { echo "The CP Hub Hawtio plugin needs Node.js 18+ and npm on the PATH" >&2; exit 1; }
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
CPHUB_PLUGIN_OUT="$1" npm run --silent build
