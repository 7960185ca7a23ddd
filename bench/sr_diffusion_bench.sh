#!/usr/bin/env bash
# Time and peak memory of the SR diffusion stage on the CPU: `fieldscope upscale` of one input
# picture at x4 with 50 DDIM steps (the issue's "256² -> x4 under 30 s" for the small preset),
# and the decoder alone on the same picture for comparison. Writes bench/results/sr_diffusion.json.
# Usage: bench/sr_diffusion_bench.sh INPUT.png [MODEL] [THREADS] [STEPS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/bench_json.sh"
fs="${FIELDSCOPE:-$root/build/fieldscope}"  # FIELDSCOPE: another build
input=${1:?an input picture, e.g. a 256x256 crop: fieldscope data photos --crop 256 ...}
model=${2:-$root/assets/models/photo-sr.fsm}
threads=${3:-2}
steps=${4:-50}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
read -r w h < <(png_size "$input")
rows=()
for mode in diffusion decoder-only; do
  extra=(--steps "$steps")
  [ "$mode" = decoder-only ] && extra=(--decoder-only)
  /usr/bin/time -f "%e %M" -o "$out/time" "$fs" upscale "$input" --scale 4 --model "$model" "${extra[@]}" \
      --threads "$threads" -o "$out/o.png" >/dev/null 2>&1
  read -r secs kb < "$out/time"
  echo "$mode x4 of ${w}x${h}: ${secs} s, peak RSS $((kb / 1024)) MiB"
  rows+=("{\"mode\": \"$mode\", \"scale\": 4, \"steps\": $([ "$mode" = diffusion ] && echo "$steps" || echo 0), \"out\": [$((w * 4)), $((h * 4))], \"seconds\": $secs, \"peak_rss_mib\": $((kb / 1024))}")
done
write_bench_json "$root/bench/results/sr_diffusion.json" \
  "\"what\": \"fieldscope upscale x4, $(basename "$model"), input ${w}x${h}, $threads torch threads\"," "${rows[@]}"
cat "$root/bench/results/sr_diffusion.json"
