#!/usr/bin/env bash
# Data-parallel training throughput (docs/training.md): training samples per second of one
# trainer run alone and as a job of 2 local processes (--nproc 2, Gloo over the loopback), at
# the same global batch and the same cores (2 processes x 1 torch thread vs 1 process x 2).
# Two trainers: the image VAE (`train image-vae`, preset small) and the shared latent diffusion
# trainer (`train image-ldm`, preset small). Times come from the loss CSV's `seconds` column
# (training only, not start-up). Writes bench/results/data_parallel.json.
# Usage: [STEPS=100] [BATCH=16] [PRESET=small] [DEVICE=cpu] [DATA=DIR] [OUT=FILE] bench/data_parallel_bench.sh
# DEVICE=cuda: both processes of a job share the machine's GPUs (local rank k on GPU k mod the GPU
# count; on a one-GPU machine both on it, the gradients all-reduced by Gloo through host memory).
# DATA: a folder of pictures instead of a fresh emoji set (a GPU server has no emoji font).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/bench_json.sh"
fs="${FIELDSCOPE:-$root/build/fieldscope}"
steps=${STEPS:-100}
batch=${BATCH:-16}
preset=${PRESET:-small}
device=${DEVICE:-cpu}
result=${OUT:-$root/bench/results/data_parallel.json}
cores=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
load_start=$(cut -d' ' -f1 /proc/loadavg)
data=${DATA:-}
if [ -z "$data" ]; then
  data=$work/emoji
  "$fs" data emoji -o "$data" --size 64 --count 600 >/dev/null
fi
"$fs" train image-vae --data "$data" -o "$work/vae.fsm" --steps 20 --batch 4 --preset "$preset" --device "$device" >"$work/vae.log" 2>&1 ||
  { cat "$work/vae.log"; exit 1; }

# seconds per step over the logged steps after the first 10 (warm-up), from CSV column "seconds"
per_step() {
  python3 - "$1" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if int(r["step"]) >= 10]
print((float(rows[-1]["seconds"]) - float(rows[0]["seconds"])) / (int(rows[-1]["step"]) - int(rows[0]["step"])))
PY
}

rows=()
measure() {  # name, procs, command...
  local name=$1 procs=$2
  shift 2
  local per=$((batch / procs)) threads=$((cores / procs))
  [ "$threads" -lt 1 ] && threads=1
  local extra=()
  [ "$procs" -gt 1 ] && extra=(--nproc "$procs")
  "$fs" train "$@" -o "$work/$name-$procs.fsm" --steps "$steps" --batch "$per" --threads "$threads" \
      --device "$device" --checkpoint-every 100000 "${extra[@]}" >"$work/$name-$procs.log" 2>&1 ||
    { tail -5 "$work/$name-$procs.log"; return 1; }
  local secs
  secs=$(per_step "$work/$name-$procs.fsm.loss.csv") || secs=""
  [ -n "$secs" ] || { echo "$name, $procs process(es): no step time (fewer than two logged steps from step 10 on?)"; return 1; }
  local sps
  sps=$(python3 -c "print(round($batch / $secs, 2))")
  echo "$name, $procs process(es) x batch $per x $threads thread(s): $(python3 -c "print(round($secs * 1000, 1))") ms/step, $sps samples/s"
  rows+=("{\"trainer\": \"$name\", \"processes\": $procs, \"batch_per_process\": $per, \"torch_threads_per_process\": $threads, \"seconds_per_step\": $secs, \"samples_per_second\": $sps}")
}
for procs in 1 2; do
  measure image-vae "$procs" image-vae --data "$data" --preset "$preset" || true
  measure image-ldm "$procs" image-ldm --vae "$work/vae.fsm" --data "$data" --preset "$preset" || true
done
write_bench_json "$result" \
"\"what\": \"training samples/s alone vs --nproc 2 (Gloo, loopback) at global batch $batch, preset $preset, on the same $cores cores and device $device; steps 10..$steps of $steps (logged every 10)\",
\"commit\": \"${FIELDSCOPE_COMMIT:-$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)}\",
\"device\": \"$device\",
\"preset\": \"$preset\",
\"threads\": {\"hardware\": $cores},
\"machine_load_average_1min_at_start\": $load_start,
\"machine_load_average_1min_at_end\": $(cut -d' ' -f1 /proc/loadavg)," "${rows[@]}"
cat "$result"
