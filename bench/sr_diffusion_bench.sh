#!/usr/bin/env bash
# Time and peak memory of the SR diffusion stage on the CPU: `fieldscope upscale` of one input
# picture at x4 with 50 DDIM steps (the issue's "256² -> x4 under 30 s" for the small preset),
# and the decoder alone on the same picture for comparison. Writes bench/results/sr_diffusion.json.
# Usage: [DEVICE=cuda] [TILE=N] [SCALE=4] [OUT=FILE] bench/sr_diffusion_bench.sh INPUT.png [MODEL] [THREADS] [STEPS]
# DEVICE: where the models run (default cpu); SCALE: the factor (default 4); TILE: the output tile side.
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
result=${OUT:-$root/bench/results/sr_diffusion.json}
device=${DEVICE:-cpu}
scale=${SCALE:-4}
dev=(--device "$device")
[ -n "${TILE:-}" ] && dev+=(--tile "$TILE")
rows=()
for mode in diffusion decoder-only; do
  extra=(--steps "$steps")
  [ "$mode" = decoder-only ] && extra=(--decoder-only)
  time_run "$out/time" "$fs" upscale "$input" --scale "$scale" --model "$model" "${extra[@]}" \
      --threads "$threads" "${dev[@]}" -o "$out/o.png"
  read -r secs kb < "$out/time"
  job=$(job_seconds "$out/time.log")
  read -r ow oh < <(png_size "$out/o.png")
  echo "$mode x$scale of ${w}x${h}: ${secs} s (the upscale itself $job s), peak RSS $((kb / 1024)) MiB"
  rows+=("{\"mode\": \"$mode\", \"scale\": $scale, \"steps\": $([ "$mode" = diffusion ] && echo "$steps" || echo 0), \"out\": [$ow, $oh], \"seconds\": $secs, \"upscale_seconds\": $job, \"peak_rss_mib\": $((kb / 1024))}")
done
write_bench_json "$result" \
  "\"what\": \"fieldscope upscale x$scale, $(basename "$model"), input ${w}x${h}, $threads torch threads, ${dev[*]}; seconds: the whole process, upscale_seconds: after the model is loaded\",
\"device\": \"$device\",
\"commit\": \"${FIELDSCOPE_COMMIT:-$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)}\"," "${rows[@]}"
cat "$result"
