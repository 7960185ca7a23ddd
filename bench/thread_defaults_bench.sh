#!/usr/bin/env bash
# Is the default thread setting the fastest one on this machine? (issue 15, item 2.) Times the same
# commands with the defaults, with every explicit --threads from 1 to the core count, and with
# OpenBLAS given threads of its own (OPENBLAS_NUM_THREADS=cores: what the default was before
# Fieldscope kept BLAS single-threaded -- torch threads x BLAS threads oversubscribe the CPU).
# Median of RUNS runs each. Writes bench/results/thread_defaults.json.
# Usage: [RUNS=3] bench/thread_defaults_bench.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/bench_json.sh"
fs="${FIELDSCOPE:-$root/build/fieldscope}"
runs=${RUNS:-3}
cores=$(nproc)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
photo="$out/in.png"
"$fs" sample --model "$root/assets/models/emoji-image.fsm" --seed 1 --size 256x256 -o "$photo" >/dev/null
declare -A commands=(
  [sample_512]="sample --model $root/assets/models/emoji-image.fsm --seed 3 --size 512x512 -o $out/s.png"
  [upscale_x4]="upscale $photo --scale 4 --model $root/assets/models/photo-sr.fsm --decoder-only -o $out/u.png"
)
time_it() {  # env-prefix, extra args, command name -> median seconds
  local envs=$1 extra=$2 name=$3
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e" -o "$out/t" env $envs "$fs" ${commands[$name]} $extra >/dev/null 2>&1
    cat "$out/t"
  done | median
}
rows=()
for name in sample_512 upscale_x4; do
  settings=("default||" "blas_threads_$cores|OPENBLAS_NUM_THREADS=$cores|")
  for t in $(seq 1 "$cores"); do settings+=("threads_$t||--threads $t"); done
  for s in "${settings[@]}"; do
    IFS='|' read -r label envs extra <<<"$s"
    secs=$(time_it "$envs" "$extra" "$name")
    echo "$name $label: $secs s"
    rows+=("{\"command\": \"$name\", \"setting\": \"$label\", \"env\": \"$envs\", \"args\": \"$extra\", \"median_s\": $secs}")
  done
done
header="\"what\": \"median wall time of $runs runs per setting; default = no --threads, no OPENBLAS_NUM_THREADS\",
\"chosen_by_default\": \"$("$fs" --version | grep '^threads:' | sed 's/"/\\"/g')\",
\"load_average_1min_at_end\": $(cut -d' ' -f1 /proc/loadavg),"
write_bench_json "$root/bench/results/thread_defaults.json" "$header" "${rows[@]}"
echo "wrote bench/results/thread_defaults.json"
