#!/usr/bin/env bash
# Runs every hostile scenario of sim/testdata/hostile through `sim --json`
# and prints, for each, whether it was refused (and the message) or ran,
# with its wall time, CPU time and peak resident memory from
# /usr/bin/time -v. Each should be refused at once or finish in seconds
# within a few hundred MB (docs/scenarios.md, "Limits on the size of a run").
#
#   bench/hostile.sh [FILE.yaml ...]
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/serverless-tour" ./cmd/serverless-tour

files=("$@")
[ ${#files[@]} -gt 0 ] || files=(sim/testdata/hostile/*.yaml)
printf '%-32s %-8s %8s %8s %9s  %s\n' file outcome wall cpu peak-rss message
for f in "${files[@]}"; do
  rc=0
  /usr/bin/time -v -o "$tmp/time" "$tmp/serverless-tour" sim "$f" --json >"$tmp/out" 2>"$tmp/err" || rc=$?
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time")
  user=$(sed -n 's/.*User time (seconds): //p' "$tmp/time")
  sys=$(sed -n 's/.*System time (seconds): //p' "$tmp/time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time")
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  if [ "$rc" = 0 ]; then
    outcome=ran
    msg=$(grep -o '"dropped_queue_full": [0-9]*\|"beyond_range": [0-9]*' "$tmp/out" | head -2 | tr '\n' ' ' || true)
  else
    outcome="exit $rc"
    msg=$(head -c 160 "$tmp/err" | sed 's/^serverless-tour: error: //')
  fi
  printf '%-32s %-8s %8s %7ss %6d MB  %s\n' "$(basename "$f")" "$outcome" "$wall" "$cpu" "$((rss / 1024))" "$msg"
done
