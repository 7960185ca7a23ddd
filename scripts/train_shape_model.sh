#!/usr/bin/env bash
# Reproduces assets/models/shapes-occupancy.fsm (the commands its model card lists), on the CPU.
# Usage: scripts/train_shape_model.sh [WORK_DIR]   (default /tmp/fieldscope-shapes; ~8 GB of data)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/fieldscope-shapes}
fs="$root/build/fieldscope"
mkdir -p "$work"
"$fs" data shapes -o "$work/data" --count 1200 --seed 1
"$fs" train shape-vae --data "$work/data" --preset small --steps 1500 --batch 8 --lr 2e-3 --seed 0 \
    --checkpoint-every 250 -o "$work/vae.fsm"
# Continued to 5000 steps: the cosine schedule restarts from its value at 1500/5000 (a warm restart).
"$fs" train shape-vae --data "$work/data" --preset small --steps 5000 --batch 8 --lr 2e-3 --seed 0 \
    --checkpoint-every 250 -o "$work/vae.fsm" --resume
"$fs" train shape-ldm --vae "$work/vae.fsm" --data "$work/data" --preset small --steps 2000 --batch 32 --seed 0 \
    --checkpoint-every 250 -o "$work/shapes-occupancy.fsm"
echo "model: $work/shapes-occupancy.fsm"
