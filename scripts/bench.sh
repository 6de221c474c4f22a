#!/usr/bin/env bash
# Benchmarks, re-runnable: generates upstream-shaped files (seed 42), then
#  - natively with criterion: decode, overview aggregates, search updates;
#    and heap bytes per Space, peaks included (examples/peak_memory.rs);
#  - in headless Chromium: the app's own timing marks over several fresh
#    loads and a cached revisit (longest task, bytes fetched, wasm memory),
#    Search update latency (event to painted frame), median and p95;
#    a first visit's long tasks, wall time against main-thread CPU time;
#  - in one headless-Chromium run: the app's decode against hyparquet and
#    duckdb-wasm 1.28 on the same file (bench/peers.mjs);
#  - the release wasm size, raw and gzip.
# Usage: bash scripts/bench.sh [ROWS ...]   (default: 1000000)
#   BASELINE=<commit> bash scripts/bench.sh   also loads that commit's build
#   in headless Chromium in the same run, first, for the ratios.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$ROOT/tools/node_modules/.bin:$PATH"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000)
[ -d bench/peers/node_modules/hyparquet ] || (cd bench/peers && npm ci --no-audit --no-fund --loglevel=error)
mkdir -p bench/out
if [ -n "${BASELINE:-}" ]; then
  base="$(mktemp -d)/baseline"
  git worktree add --detach "$base" "$BASELINE" >/dev/null
  trap 'git worktree remove --force "$base"' EXIT
  mkdir -p "$base/public/vendor" && cp public/vendor/* "$base/public/vendor/"
  ln -s "$ROOT/tools/node_modules" "$base/tools/node_modules"
  # The same target directory: built first, then this tree rebuilds over it.
  (cd "$base" && CARGO_TARGET_DIR="$ROOT/target" trunk build --release)
fi
trunk build --release  # always: a stale build would measure old code
for rows in "${sizes[@]}"; do
  file="bench/out/spaces-$rows.parquet"
  [ -f "$file" ] || cargo run --quiet --release --example gen_spaces -- "$rows" "$file"
  echo "== native (criterion), $rows rows"
  BENCH_ROWS=$rows cargo bench --quiet --bench decode -- --noplot 2>&1 | grep -E "time:|file:"
  BENCH_ROWS=$rows cargo bench --quiet --bench overview -- --noplot 2>&1 | grep -E "time:|overview/"
  if [ -n "${BASELINE:-}" ]; then
    echo "== headless Chromium, $rows rows, baseline $BASELINE (median of 5 fresh loads, each then revisited)"
    SPACES_DIST="$base/dist" node bench/browser.mjs "$file" 5
  fi
  echo "== heap per Space natively, peaks included (decode, then every index)"
  cargo run --quiet --release --example peak_memory -- "$file"
  echo "== headless Chromium, $rows rows (median of 5 fresh loads, each then revisited)"
  node bench/browser.mjs "$file" 5
  echo "== search updates, $rows rows: native (criterion), then headless Chromium"
  BENCH_ROWS=$rows cargo bench --quiet --bench search -- --noplot 2>&1 | grep -E "time:|one update"
  node bench/search.mjs "$file" 40
  node bench/click_trace.mjs "$file" 40
  echo "== long main-thread tasks after load, $rows rows (median of 3 fresh browsers)"
  if [ -n "${BASELINE:-}" ]; then
    echo "-- baseline $BASELINE"
    SPACES_DIST="$base/dist" node bench/tasks.mjs "$file" 3
  fi
  node bench/tasks.mjs "$file" 3
  echo "== first visit: each task of 35 ms or more, wall time against the main thread's CPU time (3 traced loads)"
  if [ -n "${BASELINE:-}" ]; then
    echo "-- baseline $BASELINE"
    SPACES_DIST="$base/dist" node bench/task_cpu.mjs "$file" 3
  fi
  node bench/task_cpu.mjs "$file" 3
  echo "== peers in one headless Chromium run, $rows rows"
  node bench/peers.mjs "$file" 3
done
# The page's wasm and the engine worker's.
for wasm in dist/*_bg.wasm; do
  echo "== release wasm $(basename "$wasm"): $(stat -c %s "$wasm") bytes raw, $(gzip -9 -c "$wasm" | wc -c) bytes gzip -9"
done
