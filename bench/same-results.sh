#!/usr/bin/env bash
# Checks that the engine gives byte-identical results before and after a
# change: it builds the command at a base revision (default: main) and at the
# work tree, runs `sim FILE --json --series` (and the text summary) on every
# scenario in content/scenarios for a few seeds, and diffs the outputs.
#
#   bench/same-results.sh [BASE_REV] [EXTRA_SCENARIO.yaml ...]
#
# Run from anywhere inside the repository; needs Go and git. Exits 1 and
# prints the first differences when any output differs.
set -euo pipefail
cd "$(dirname "$0")/.."

base=${1:-main}
shift || true
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/base-src" "$tmp/out/base" "$tmp/out/head"
git archive "$base" | tar -x -C "$tmp/base-src"
(cd "$tmp/base-src" && go build -o "$tmp/base" ./cmd/serverless-tour)
go build -o "$tmp/head" ./cmd/serverless-tour

files=(content/scenarios/*.yaml "$@")
differ=0
for f in "${files[@]}"; do
  for seed in 0 7 1234; do
    name=$(basename "$f" .yaml)-$seed
    for side in base head; do
      "$tmp/$side" sim "$f" --seed "$seed" --json --series >"$tmp/out/$side/$name.json" 2>&1 || true
      "$tmp/$side" sim "$f" --seed "$seed" >"$tmp/out/$side/$name.txt" 2>&1 || true
    done
    for ext in json txt; do
      if ! cmp -s "$tmp/out/base/$name.$ext" "$tmp/out/head/$name.$ext"; then
        echo "DIFFERS: $f seed $seed ($ext)"
        diff "$tmp/out/base/$name.$ext" "$tmp/out/head/$name.$ext" | head -20
        differ=1
      fi
    done
  done
done
n=$(ls "$tmp/out/head" | wc -l)
if [ "$differ" = 0 ]; then
  echo "identical: $n outputs of ${#files[@]} scenarios × 3 seeds against $base"
else
  exit 1
fi
