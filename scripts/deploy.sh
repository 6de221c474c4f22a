#!/usr/bin/env bash
# Builds the deployable static Space into ./space: the trunk release build
# (relative asset URLs, so it works at the root of
# <owner>-<space>.static.hf.space and under any sub-path), the bundled
# sample, the list of data sources (sources.json) and a README.md with the
# Space front matter. Its page's policy
# drops the local-host allowances that dist/ (the test build) keeps.
# Publish: huggingface-cli upload <owner>/<space> space . --repo-type=space
#
# Usage: bash scripts/deploy.sh [--space <owner>/<name>] [--slim-url URL
#          [--slim-snapshot YYYY-MM-DD] [--slim-bytes N]]
#   --space writes the Space's id into the page, so Copy link gives
#   https://huggingface.co/spaces/<owner>/<name>?<view> even where the Hub
#   does not hand the app its SPACE_ID variable (README, "Inside a Space").
#   --slim-url adds the slim daily file as the source `hub-slim` and makes
#   it the default (README, "Choosing the data"); without it sources.json
#   holds the built-in list. Edit space/sources.json later to change the
#   sources: no rebuild needed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
space_id=""
sources_args=()
usage="usage: bash scripts/deploy.sh [--space <owner>/<name>] [--slim-url URL [--slim-snapshot YYYY-MM-DD] [--slim-bytes N]]"
while [ $# -gt 0 ]; do
  case "$1" in
    --space) space_id=${2:?--space needs <owner>/<name>}; shift 2 ;;
    --space=*) space_id=${1#--space=}; shift ;;
    --slim-url|--slim-snapshot|--slim-bytes) sources_args+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
    --slim-url=*|--slim-snapshot=*|--slim-bytes=*) sources_args+=("$1"); shift ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
# Checked before the build: a bad option should not cost one.
node scripts/sources.mjs /dev/null "${sources_args[@]}" >/dev/null
SETUP_BROWSER=0 bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$ROOT/tools/node_modules/.bin:$PATH"
trunk build --release
rm -rf space
mkdir -p space
cp -R dist/. space/
rm -f space/.trunk-lock
# dist/ stays the test build; the shipped page allows no local hosts.
node scripts/csp.mjs --production space
[ -z "$space_id" ] || node scripts/space-id.mjs space "$space_id"
node scripts/sources.mjs space/sources.json "${sources_args[@]}"
cat > space/README.md <<'MD'
---
title: Spaces Ship
emoji: 🚀
colorFrom: yellow
colorTo: indigo
sdk: static
app_file: index.html
header: mini
pinned: false
short_description: Explore every Hugging Face Space in your browser
---

# Spaces Ship

Every Hugging Face Space, explored in your browser: the `jsulz/space-stats`
dataset is downloaded and decoded in WebAssembly, and every chart, count and
search result is computed on your machine.

Links carry the whole view (`?view=search&sdk=gradio&likes=100`, …); add
`&embed=search` or `&embed=chart-sdk` (any chart id) to embed one part:

```html
<iframe src="https://<owner>-<space>.static.hf.space/?embed=chart-sdk" width="100%" height="420" style="border:0"></iframe>
```
MD
echo "Deployable Space in $ROOT/space ($(du -sh space | cut -f1))."
