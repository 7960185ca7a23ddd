#!/usr/bin/env bash
# Reproduces assets/models/nerf-scene-0007.fsm (the commands its model card lists), on the CPU:
# the 8-scene set (scene 7 is its held-out scene) and the fit of scene 7 (about an hour on 2 cores).
# Usage: scripts/train_nerf_scene.sh [WORK_DIR]   (default /tmp/fieldscope-scenes; ~2 MB of data)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/fieldscope-scenes}
fs="$root/build/fieldscope"
mkdir -p "$work"
"$fs" data scenes -o "$work/scenes" --count 8 --size 64 --seed 0
"$fs" fit nerf --data "$work/scenes/scene_0007" --preset small --steps 3000 --seed 0 --checkpoint-every 250 \
    -o "$work/nerf-scene-0007.fsm"
echo "model: $work/nerf-scene-0007.fsm"
