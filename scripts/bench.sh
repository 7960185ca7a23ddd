#!/usr/bin/env bash
# README "bench" command: builds, then measures on this machine and writes JSON into
# bench/results/ (viewer frame times under a scripted zoom/pan at 1280x720 in a real window,
# shared-memory vs staging-copy tile writes, and the model benchmarks when built).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
out="$root/bench/results"
mkdir -p "$out"
cd "$root"
echo "== shared tensor vs staging copy"
./build/bench/shared_tensor_bench "$out/shared_tensor.json"
echo "== viewer: scripted zoom + pan, 1280x720 window (Xvfb + lavapipe when there is no display)"
tests/with_display.sh ./build/fieldscope --size 1280x720 --script zoom-pan --bench-out "$out/viewer_zoom_pan.json"
for b in build/bench/model/*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b" "$out"
done
