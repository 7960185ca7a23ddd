#!/usr/bin/env bash
# Reproduces the class-conditional assets/models/emoji-image.fsm (issue 16; the commands its model
# card lists) from the unconditional file it was fine-tuned from (the one shipped at commit
# 604a377: VAE + 12000-step LDM), on the CPU: ~36 + ~45 + ~66 + ~48 + ~36 min on 2 cores.
# Usage: scripts/train_guided_image_model.sh [WORK_DIR]   (default /tmp/fieldscope-guided)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/fieldscope-guided}
fs="$root/build/fieldscope"
mkdir -p "$work"
git -C "$root" show 604a377:assets/models/emoji-image.fsm > "$work/unconditional.fsm"
"$fs" data emoji -o "$work/emoji"
# stage 5: the unconditional UNet fine-tuned as a class-conditional one (class embedding from zero,
# 10% of the labels dropped), the VAE unchanged
"$fs" train image-ldm --vae "$work/unconditional.fsm" --data "$work/emoji" -o "$work/p1.fsm" --steps 8000 --batch 32 \
    --lr 3e-4 --seed 0 --classes emoji-groups --init-from "$work/unconditional.fsm" --checkpoint-every 500 --threads 1
# stage 6: 10000 more steps at a lower rate
"$fs" train image-ldm --vae "$work/p1.fsm" --data "$work/emoji" -o "$work/emoji-image.fsm" --steps 10000 --batch 32 \
    --lr 2e-4 --seed 1 --classes emoji-groups --init-from "$work/p1.fsm" --checkpoint-every 500 --threads 1
# stage 7 (2026-12-04): the emoji subgroups as classes, each subgroup's class row started from its
# group's; then the default guidance of the sweep (assets/models/README.md), rewritten by a --resume
# at the last step (it trains nothing)
sub=(train image-ldm --vae "$work/emoji-image.fsm" --data "$work/emoji" -o "$work/subgroups.fsm" --classes emoji-subgroups
     --init-from "$work/emoji-image.fsm" --steps 16000 --batch 32 --lr 2e-4 --seed 0 --checkpoint-every 1000 --threads 1)
"$fs" "${sub[@]}"
"$fs" "${sub[@]}" --default-guidance 1 --resume
# stages 9 and 10 (2026-12-06): the subgroup UNet fine-tuned with the P2 loss weighting 1 / (1 + SNR),
# 12000 steps, then 9000 more
"$fs" train image-ldm --vae "$work/subgroups.fsm" --data "$work/emoji" -o "$work/p2-weighted.fsm" --classes emoji-subgroups \
    --init-from "$work/subgroups.fsm" --steps 12000 --batch 32 --lr 2e-4 --seed 4 --ema-decay 0.9999 --default-guidance 1 \
    --checkpoint-every 1000 --threads 1 --loss-weighting p2:1,1
"$fs" train image-ldm --vae "$work/p2-weighted.fsm" --data "$work/emoji" -o "$work/p2-weighted-more.fsm" --classes emoji-subgroups \
    --init-from "$work/p2-weighted.fsm" --steps 9000 --batch 32 --lr 2e-4 --seed 5 --ema-decay 0.9999 --default-guidance 1 \
    --checkpoint-every 1000 --threads 1 --loss-weighting p2:1,1
echo "model: $work/p2-weighted-more.fsm (before it: $work/p2-weighted.fsm, the subgroup model $work/subgroups.fsm, the group model $work/emoji-image.fsm)"
