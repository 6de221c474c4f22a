#!/usr/bin/env bash
# Daily refresh: downloads the Hub's snapshot of every Space, turns it into
# the slim file (cargo run --release --bin refresh) and uploads it to a
# dataset repo. The upload needs a write token in HF_TOKEN (from a secret,
# never from the repo).
#   bash scripts/refresh.sh <owner>/<dataset>   (e.g. from .github/workflows/refresh.yml)
# Without HF_TOKEN it stops after writing bench/out/spaces-slim.parquet.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
target=${1:?usage: bash scripts/refresh.sh <owner>/<dataset>}
source_url=${SNAPSHOT_URL:-https://huggingface.co/datasets/cfahlgren1/hub-stats/resolve/main/spaces.parquet}
mkdir -p bench/out
raw=bench/out/hub-snapshot.parquet
slim=bench/out/spaces-slim.parquet
curl --fail --location --retry 3 --output "$raw" "$source_url"
cargo run --release --bin refresh -- "$raw" "$slim" --source "$source_url"
if [ -z "${HF_TOKEN:-}" ]; then
  echo "HF_TOKEN is not set: $slim written, not uploaded."
  exit 0
fi
python3 -m pip install --quiet "huggingface_hub>=0.34"
python3 - "$slim" "$target" <<'PY'
import sys
from huggingface_hub import HfApi
path, repo = sys.argv[1], sys.argv[2]
HfApi().upload_file(path_or_fileobj=path, path_in_repo="spaces.parquet",
                    repo_id=repo, repo_type="dataset",
                    commit_message="Daily refresh of the slim Spaces file")
print(f"uploaded {path} to datasets/{repo}/spaces.parquet")
PY
