#!/usr/bin/env bash
# Installs every tool the app and its tests need, skipping what is already
# present at the pinned version. Safe to run again; used by serve, test and CI.
set -euo pipefail

TRUNK_VERSION=0.22.1
WASM_BINDGEN_VERSION=0.2.130
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '[setup] %s\n' "$*"; }

need_apt=()
command -v clang >/dev/null 2>&1 || need_apt+=(clang)
command -v llvm-ar >/dev/null 2>&1 || [ -e /usr/bin/llvm-ar ] || need_apt+=(llvm)
if [ "${SETUP_BROWSER:-1}" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
  # Emoji are half of what the charts show: screenshots need a colour emoji font.
  [ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || need_apt+=(fonts-noto-color-emoji)
fi
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
# The Hub-frame tests make a self-signed certificate.
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  log "installing trunk $TRUNK_VERSION (about 10 minutes cold)"
  cargo install --locked --ignore-rust-version trunk --version "$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ] \
  || ! command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Its lock file pins webpki-roots 1.0.11, which the registry here lacks:
  # unpack the crate, step that one dependency back, install from the path.
  work=$(mktemp -d)
  cargo_home=${CARGO_HOME:-$HOME/.cargo}
  crate=$(ls "$cargo_home"/registry/cache/*/wasm-bindgen-cli-"$WASM_BINDGEN_VERSION".crate 2>/dev/null | head -n1 || true)
  if [ -z "$crate" ]; then
    cargo install --locked wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" >/dev/null 2>&1 || true
    crate=$(ls "$cargo_home"/registry/cache/*/wasm-bindgen-cli-"$WASM_BINDGEN_VERSION".crate 2>/dev/null | head -n1 || true)
  fi
  if [ -n "$crate" ]; then
    tar -xzf "$crate" -C "$work"
    src="$work/wasm-bindgen-cli-$WASM_BINDGEN_VERSION"
    (cd "$src" && cargo update -p webpki-roots --precise 1.0.10 >/dev/null 2>&1 || true)
    cargo install --locked --force --path "$src"
  fi
  rm -rf "$work"
  [ "$(wasm-bindgen --version 2>/dev/null || true)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ] \
    || { echo "[setup] wasm-bindgen-cli $WASM_BINDGEN_VERSION could not be installed" >&2; exit 1; }
fi

# Node tools (wasm-opt from binaryen, echarts and esbuild for the charts
# bundle the app serves, playwright-core for end-to-end tests, axe-core and
# lighthouse for the accessibility tests) are pinned in
# tools/package-lock.json.
if [ ! -d "$ROOT/tools/node_modules/binaryen" ] || [ ! -d "$ROOT/tools/node_modules/echarts" ] \
  || [ ! -d "$ROOT/tools/node_modules/playwright-core" ] || [ ! -d "$ROOT/tools/node_modules/axe-core" ] \
  || [ ! -d "$ROOT/tools/node_modules/lighthouse" ] || [ ! -d "$ROOT/tools/node_modules/esbuild" ]; then
  log "npm ci in tools/"
  (cd "$ROOT/tools" && npm ci --no-audit --no-fund --loglevel=error)
fi
# The ECharts the app serves: only what its charts use (tools/echarts.js).
node "$ROOT/tools/echarts-bundle.mjs" "$ROOT/public/vendor/echarts.min.js"

# Trunk runs in offline mode and takes wasm-opt from PATH.
export PATH="$ROOT/tools/node_modules/.bin:$PATH"
if [ -f "$ROOT/Cargo.lock" ]; then
  cargo fetch --locked >/dev/null 2>&1 || cargo fetch
fi
log "ready: $(trunk --version), $(wasm-bindgen --version), wasm-opt $(wasm-opt --version 2>/dev/null | head -n1)"
