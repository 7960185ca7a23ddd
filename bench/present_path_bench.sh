#!/usr/bin/env bash
# How frames reach the window on a CPU driver (docs/architecture.md "Presenting on a CPU
# driver"): the test pattern's scripted zoom + pan in a 1280x720 window (Xvfb + lavapipe without
# a display), presented through X11 MIT-SHM (the default on a CPU device) and through the Vulkan
# swapchain (FIELDSCOPE_PRESENT=swapchain), RUNS runs of each, alternating, so both paths see
# the same moments of a shared machine. Writes bench/results/viewer_present_paths.json.
# Usage: [RUNS=5] bench/present_path_bench.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/bench_json.sh"
fs="${FIELDSCOPE:-$root/build/fieldscope}"
runs=${RUNS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
list() { local k sep=""; for k in $(seq "$runs"); do printf '%s%s' "$sep" "$(json_field "$1" "$tmp/$2-$k.json")"; sep=", "; done; }
for k in $(seq "$runs"); do
  for path in shm swapchain; do
    FIELDSCOPE_PRESENT=$path "$root/tests/with_display.sh" "$fs" --no-session --size 1280x720 --test-pattern \
      --script zoom-pan --bench-out "$tmp/$path-$k.json" >/dev/null 2>&1
  done
done
rows=()
for path in shm swapchain; do
  p50=$(for k in $(seq "$runs"); do json_field frame_ms_p50 "$tmp/$path-$k.json"; done | median)
  p95=$(for k in $(seq "$runs"); do json_field frame_ms_p95 "$tmp/$path-$k.json"; done | median)
  shown=$(sed -n 's/.*"present": "\([^"]*\)".*/\1/p' "$tmp/$path-1.json")
  echo "$shown: frames p50 ${p50} ms p95 ${p95} ms (medians of $runs)"
  rows+=("{\"present\": \"$shown\", \"frame_ms_p50\": $p50, \"frame_ms_p95\": $p95, \"runs_frame_ms_p50\": [$(list frame_ms_p50 "$path")], \"runs_frame_ms_p95\": [$(list frame_ms_p95 "$path")], \"load_average_1min\": [$(list machine_load_average_1min "$path")]}")
done
write_bench_json "$root/bench/results/viewer_present_paths.json" \
  "\"what\": \"test pattern --script zoom-pan at 1280x720, lavapipe under Xvfb; the two present paths, $runs alternating runs each, medians\",
\"commit\": \"${FIELDSCOPE_COMMIT:-$(git -C "$root" rev-parse --short HEAD)}\",
\"device\": \"$(sed -n 's/.*"device": "\([^"]*\)".*/\1/p' "$tmp/shm-1.json")\",
\"aim\": \"frame p95 <= 33 ms (issue 19)\"," "${rows[@]}"
