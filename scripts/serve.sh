#!/usr/bin/env bash
# Sets up everything missing, then builds and serves the app on
# http://127.0.0.1:8080/ (add ?data=sample to work offline).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SETUP_BROWSER=0 bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$ROOT/tools/node_modules/.bin:$PATH"
echo "Serving on http://127.0.0.1:${PORT:-8080}/  (offline: http://127.0.0.1:${PORT:-8080}/?data=sample)"
exec trunk serve --release --address 127.0.0.1 --port "${PORT:-8080}" "$@"
