#!/usr/bin/env bash
# Time and peak memory of a whole NeRF turntable MP4 from the command line (#14's "turntable export
# time for 4 s at 720p @ 30 fps"): `fieldscope sample --turntable 4 --fps 30 --size 1280x720`, the
# frames marched from the baked grid as the viewer does. Writes bench/results/nerf_turntable.json.
# Usage: bench/nerf_turntable_bench.sh [MODEL] [THREADS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/bench_json.sh"
fs="${FIELDSCOPE:-$root/build/fieldscope}"  # FIELDSCOPE: another build
model=${1:-$root/assets/models/nerf-scene-0007.fsm}
threads=${2:-2}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
load=$(cut -d' ' -f1 /proc/loadavg)
/usr/bin/time -f "%e %M" -o "$out/time" "$fs" sample --model "$model" --turntable 4 --fps 30 --size 1280x720 \
    --threads "$threads" -o "$out/spin.mp4" >/dev/null 2>&1
read -r secs kb < "$out/time"
bytes=$(stat -c %s "$out/spin.mp4")
echo "turntable 4 s x 30 fps at 1280x720: ${secs} s, peak RSS $((kb / 1024)) MiB, ${bytes} bytes"
write_bench_json "$root/bench/results/nerf_turntable.json" \
  "\"what\": \"fieldscope sample --turntable 4 --fps 30 --size 1280x720 (120 frames, baked grid), $(basename "$model"), $threads torch threads, load $load at start\"," \
  "{\"seconds\": $secs, \"frames\": 120, \"seconds_per_frame\": $(python3 -c "print(round($secs / 120, 3))"), \"peak_rss_mib\": $((kb / 1024)), \"mp4_bytes\": $bytes}"
cat "$root/bench/results/nerf_turntable.json"
