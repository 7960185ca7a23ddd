#!/usr/bin/env bash
# Trains the emoji image model on the faithful DDMI structure (issue 20 item 3, issue 16; the commands
# of docs/training.md "The authors' architecture"), on the CPU with one thread a process:
#   1. the ddmi-small VAE, whole, to step 1500 (vae-whole.fsm)                  (~30 min)
#   2. its readout on to step 4000 with the encoder frozen, and beside it the    (~70 min)
#      diffusion model on the step-1500 file's latents -- the same latents, as   (~4-8 h: 1-2 steps a
#      the encoder no longer changes                                              second, 30000 steps)
#   3. the diffusion model's file rewritten with the final VAE (a --resume at its last step: it
#      trains nothing)
# Every stage resumes where it stopped: run the script again after an interruption (or a reboot).
# Usage: scripts/train_faithful_image_model.sh [WORK_DIR]   (default /tmp/fieldscope-faithful)
# FIELDSCOPE: the binary (default build/fieldscope). VAE_STEPS (4000), VAE_WHOLE_STEPS (1500) and LDM_STEPS
# (30000) shorten the stages for a trial run of the script.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/fieldscope-faithful}
fs=${FIELDSCOPE:-$root/build/fieldscope}
steps=${LDM_STEPS:-30000}
vae_steps=${VAE_STEPS:-4000}
whole=${VAE_WHOLE_STEPS:-1500}
mkdir -p "$work"
cd "$work"

if [ ! -f emoji.done ]; then
  rm -rf emoji
  "$fs" data emoji -o emoji
  touch emoji.done
fi

resume() { if [ -f "$1.train" ]; then echo --resume; fi; }

vae=(train image-vae --preset ddmi-small --data emoji -o vae.fsm --steps "$vae_steps" --batch 16 --threads 1)
if [ ! -f vae-whole.fsm ]; then
  # shellcheck disable=SC2046  # resume() gives one word or none
  "$fs" "${vae[@]}" --stop-at "$whole" $(resume vae.fsm)
  cp vae.fsm vae-whole.fsm.tmp && mv vae-whole.fsm.tmp vae-whole.fsm
fi

ldm=(train image-ldm --data emoji -o ldm.fsm --steps "$steps" --batch 32 --classes emoji-subgroups --latent-scale unit
     --gate-start 6 --loss-weighting "p2:1,1" --default-guidance 1 --checkpoint-every 1000 --threads 1 --seed 1)
if [ ! -f vae.done ]; then
  ("$fs" "${vae[@]}" --resume --freeze-encoder > vae-readout.log 2>&1 && touch vae.done) &
fi
if [ ! -f ldm.done ]; then
  # shellcheck disable=SC2046
  "$fs" "${ldm[@]}" --vae vae-whole.fsm $(resume ldm.fsm)
  touch ldm.done
fi
wait
[ -f vae.done ] || { echo "the VAE's readout stage failed: see $work/vae-readout.log" >&2; exit 1; }
"$fs" "${ldm[@]}" --vae vae.fsm --resume
echo "model: $work/ldm.fsm (its VAE alone: $work/vae.fsm)"
