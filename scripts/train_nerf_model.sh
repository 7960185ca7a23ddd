#!/usr/bin/env bash
# Reproduces assets/models/scenes-nerf.fsm (the commands its model card lists), on the CPU: the
# 24-scene set (21 training scenes, 3 held out), the training scenes' triplanes fitted together
# with one shared MLP, the NeRF VAE over those planes, the latent diffusion model over its latents
# (scored on seeds 0-7 at the end).
# Usage: scripts/train_nerf_model.sh [WORK_DIR]   (default /tmp/fieldscope-nerf; ~6 MB of data)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/fieldscope-nerf}
fs="$root/build/fieldscope"
mkdir -p "$work"
"$fs" data scenes -o "$work/scenes24" --count 24 --size 64 --seed 0
"$fs" train nerf-planes --data "$work/scenes24" --preset tiny --plane-resolution 32 --steps 8000 --rays 1024 \
    --scenes-per-step 4 --lr 0.01 --seed 0 --checkpoint-every 500 -o "$work/set.fsm"
"$fs" train nerf-vae --planes "$work/set.fsm" --data "$work/scenes24" --steps 3000 --seed 0 --checkpoint-every 500 \
    -o "$work/vae.fsm"
"$fs" train nerf-ldm --vae "$work/vae.fsm" --data "$work/scenes24" --steps 2500 --seed 0 --checkpoint-every 500 \
    -o "$work/scenes-nerf.fsm"
echo "model: $work/scenes-nerf.fsm"
