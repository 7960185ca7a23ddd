#!/usr/bin/env bash
# Reproduces assets/models/clips-video.fsm (the commands its model card lists), on the CPU.
# Usage: scripts/train_video_model.sh [WORK_DIR]   (default /tmp/fieldscope-clips; ~60 MB of data)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/fieldscope-clips}
fs="$root/build/fieldscope"
mkdir -p "$work"
"$fs" data clips -o "$work/data" --count 1200 --seed 0
"$fs" train video-vae --data "$work/data" --preset small --steps 1800 --batch 6 --lr 1e-3 --seed 0 \
    --checkpoint-every 200 -o "$work/vae.fsm"
"$fs" train video-ldm --vae "$work/vae.fsm" --data "$work/data" --preset small --steps 1000 --batch 32 --seed 0 \
    --checkpoint-every 200 -o "$work/clips-video.fsm"
echo "model: $work/clips-video.fsm"
# The model card's in-between experiment (not shipped): IN_BETWEEN=1 scripts/train_video_model.sh
if [ "${IN_BETWEEN:-0}" = 1 ]; then
  "$fs" train video-vae --data "$work/data" --preset small --steps 1800 --batch 6 --lr 1e-3 --seed 0 \
      --checkpoint-every 200 --frame-stride 2 -o "$work/vae_even.fsm"
fi
