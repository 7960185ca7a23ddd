#!/usr/bin/env bash
# Reproduces assets/models/photo-sr.fsm and photo-sr-ldm.fsm (the commands their model cards list), on the CPU.
# Needs the Debian wallpaper packages the data is cut from (installed here when missing).
# Usage: scripts/train_sr_model.sh [WORK_DIR]   (default /tmp/fieldscope-photos; ~50 MB of data)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/fieldscope-photos}
fs="$root/build/fieldscope"
missing=()
for p in gnome-backgrounds plasma-workspace-wallpapers; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
mkdir -p "$work"
"$fs" data photos -o "$work/data" --crop 128 --crops 96 --test-crops 16 --seed 0
# The autoencoder in three stages: one decoder block a level (a 6000-step plan stopped at 3507 steps,
# as the first shipped file was); three a level started from it (--init-from: the added blocks start
# as the identity); a restart of that schedule at a lower rate, which is the shipped photo-sr.fsm.
# SR_AE_STEPS: where stage 1 stops (of its 6000-step schedule); SR_AE_DEEP_STEPS, SR_AE_RESTART_STEPS:
# the later stages' steps.
"$fs" train sr-ae --data "$work/data" --preset small --decoder-blocks 1 --steps 6000 --stop-at "${SR_AE_STEPS:-3507}" \
    --batch 8 --lr 1e-3 --seed 0 --checkpoint-every 250 -o "$work/photo-sr-1-block.fsm"
"$fs" train sr-ae --data "$work/data" --preset small --decoder-blocks 3 --init-from "$work/photo-sr-1-block.fsm" \
    --steps "${SR_AE_DEEP_STEPS:-9000}" --batch 8 --lr 5e-4 --seed 1 --checkpoint-every 250 -o "$work/photo-sr-stage2.fsm"
"$fs" train sr-ae --data "$work/data" --preset small --decoder-blocks 3 --init-from "$work/photo-sr-stage2.fsm" \
    --steps "${SR_AE_RESTART_STEPS:-6000}" --batch 8 --lr 3e-4 --seed 2 --checkpoint-every 250 -o "$work/photo-sr.fsm"
# The diffusion stage on top of the one-block autoencoder (its file gets both: the shipped diffusion
# stage was trained before the deeper decoder), then its alignment through the decoder (sr-align),
# whose file is the shipped photo-sr-ldm.fsm.
"$fs" train sr-ldm --vae "$work/photo-sr-1-block.fsm" --data "$work/data" --pool 2048 --window 32 --invert-steps 16 \
    --invert-step-size 0.1 --unet-channels 32 --steps "${SR_LDM_STEPS:-4000}" --batch 64 --seed 0 --checkpoint-every 250 \
    -o "$work/photo-sr-ldm-unaligned.fsm"
"$fs" train sr-align --model "$work/photo-sr-ldm-unaligned.fsm" --data "$work/data" --pool 1024 --steps "${SR_ALIGN_STEPS:-12000}" \
    --batch 16 --lr 1e-3 --image-weight 100 --seed 0 --checkpoint-every 1000 -o "$work/photo-sr-ldm.fsm"
"$fs" eval sr --model "$work/photo-sr.fsm" --data "$work/data" -o "$work/sr_eval.json" --pictures "$work/before_after_x4.png"
"$fs" eval sr --model "$work/photo-sr-ldm.fsm" --data "$work/data" --diffusion-crops 16 --samples 8 --steps 50 \
    -o "$work/sr_ldm_eval.json" --pictures "$work/before_after_ldm_x4.png"
echo "models: $work/photo-sr.fsm (decoder only), $work/photo-sr-ldm.fsm (with the diffusion stage)"
