#!/usr/bin/env bash
# Reproduces assets/models/photo-sr.fsm (the commands its model card lists), on the CPU.
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
"$fs" eval sr --model "$work/photo-sr.fsm" --data "$work/data" -o "$work/sr_eval.json" --pictures "$work/before_after_x4.png"
echo "model: $work/photo-sr.fsm"
