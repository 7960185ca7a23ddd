#!/usr/bin/env bash
# The viewer's tile worker thread count (issue 15, item 2): the shipped model zoomed x1 -> x1000
# -> x1 in a 1280x720 window (Xvfb + lavapipe without a display), with FIELDSCOPE_THREADS=1 (the
# default) and with every other count up to the cores; frame times and the time from the last
# input to the exact view. Median of RUNS runs. Writes bench/results/viewer_threads.json.
# Usage: [RUNS=3] bench/viewer_threads_bench.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/bench_json.sh"
fs="${FIELDSCOPE:-$root/build/fieldscope}"
runs=${RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rows=()
for threads in $(seq 1 "$(nproc)"); do
  for k in $(seq "$runs"); do
    FIELDSCOPE_THREADS=$threads "$root/tests/with_display.sh" "$fs" --no-session --size 1280x720 \
      --model "$root/assets/models/emoji-image.fsm" --script zoom-1000 --bench-out "$tmp/r$threads-$k.json" >/dev/null 2>&1
  done
  exact=$(for k in $(seq "$runs"); do json_field last_input_to_exact_view_s "$tmp/r$threads-$k.json"; done | median)
  p50=$(for k in $(seq "$runs"); do json_field frame_ms_p50 "$tmp/r$threads-$k.json"; done | median)
  p95=$(for k in $(seq "$runs"); do json_field frame_ms_p95 "$tmp/r$threads-$k.json"; done | median)
  echo "FIELDSCOPE_THREADS=$threads: full detail ${exact} s after the last input, frames p50 ${p50} ms p95 ${p95} ms"
  rows+=("{\"worker_threads\": $threads, \"last_input_to_exact_view_s\": $exact, \"frame_p50_ms\": $p50, \"frame_p95_ms\": $p95}")
done
write_bench_json "$root/bench/results/viewer_threads.json" \
  "\"what\": \"shipped emoji model, --script zoom-1000 at 1280x720, lavapipe; median of $runs runs per count\",
\"default\": 1," "${rows[@]}"
echo "wrote bench/results/viewer_threads.json"
