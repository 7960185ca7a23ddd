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
"$fs" train sr-ae --data "$work/data" --preset small --steps "${SR_AE_STEPS:-6000}" --batch 8 --lr 1e-3 --seed 0 \
    --checkpoint-every 250 -o "$work/photo-sr.fsm"
# The diffusion stage on top of the autoencoder (its file gets both), then its alignment through the
# decoder (sr-align), whose file is the shipped photo-sr-ldm.fsm.
"$fs" train sr-ldm --vae "$work/photo-sr.fsm" --data "$work/data" --pool 2048 --window 32 --invert-steps 16 \
    --invert-step-size 0.1 --unet-channels 32 --steps "${SR_LDM_STEPS:-4000}" --batch 64 --seed 0 --checkpoint-every 250 \
    -o "$work/photo-sr-ldm-unaligned.fsm"
"$fs" train sr-align --model "$work/photo-sr-ldm-unaligned.fsm" --data "$work/data" --pool 1024 --steps "${SR_ALIGN_STEPS:-12000}" \
    --batch 16 --lr 1e-3 --image-weight 100 --seed 0 --checkpoint-every 1000 -o "$work/photo-sr-ldm.fsm"
"$fs" eval sr --model "$work/photo-sr.fsm" --data "$work/data" -o "$work/sr_eval.json" --pictures "$work/before_after_x4.png"
"$fs" eval sr --model "$work/photo-sr-ldm.fsm" --data "$work/data" --diffusion-crops 16 --samples 8 --steps 50 \
    -o "$work/sr_ldm_eval.json" --pictures "$work/before_after_ldm_x4.png"
echo "models: $work/photo-sr.fsm (decoder only), $work/photo-sr-ldm.fsm (with the diffusion stage)"
