#!/usr/bin/env bash
# Time and peak memory of `fieldscope upscale` (decoder-only, the CPU) for outputs of 1, 4, 16
# and 64 megapixels from one input picture: memory must stay flat as the output grows (tiles,
# row bands). Writes bench/results/sr_upscale.json.
# Usage: [SIZES="1 4"] [DEVICE=cuda] [TILE=N] [OUT=FILE] bench/sr_upscale_bench.sh [MODEL] [INPUT.png] [THREADS]
# DEVICE: where the model runs (default cpu); TILE: the output tile side (default upscale's own).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/bench_json.sh"
fs="${FIELDSCOPE:-$root/build/fieldscope}"  # FIELDSCOPE: another build
model=${1:-$root/assets/models/photo-sr.fsm}
input=${2:?an input picture (e.g. a held-out crop of fieldscope data photos)}
threads=${3:-2}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
read -r w h < <(png_size "$input")
result=${OUT:-$root/bench/results/sr_upscale.json}
device=${DEVICE:-cpu}
extra=(--device "$device")
[ -n "${TILE:-}" ] && extra+=(--tile "$TILE")
rows=()
for mpx in ${SIZES:-1 4 16 64}; do
  scale=$(python3 -c "import math; print(round(math.sqrt($mpx*1e6/($w*$h)), 4))")
  time_run "$out/time" "$fs" upscale "$input" --scale "$scale" --model "$model" --decoder-only \
      --threads "$threads" "${extra[@]}" -o "$out/o.png"
  read -r secs kb < "$out/time"
  read -r ow oh < <(png_size "$out/o.png")
  job=$(job_seconds "$out/time.log")
  echo "x$scale -> ${ow}x${oh}: ${secs} s (the upscale itself $job s), peak RSS $((kb / 1024)) MiB"
  rows+=("{\"target_mpx\": $mpx, \"scale\": $scale, \"out\": [$ow, $oh], \"seconds\": $secs, \"upscale_seconds\": $job, \"peak_rss_mib\": $((kb / 1024))}")
done
write_bench_json "$result" \
  "\"what\": \"fieldscope upscale --decoder-only, $(basename "$model"), input ${w}x${h}, $threads torch threads, ${extra[*]}\",
\"device\": \"$device\",
\"commit\": \"${FIELDSCOPE_COMMIT:-$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)}\","  "${rows[@]}"
cat "$result"
