#!/usr/bin/env bash
# README command 1: install what is missing, build, open the viewer: on the shipped model the
# first time, afterwards on the last session (model, sample, view: see the README).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh" fieldscope  # the viewer only: the tests and benchmarks are built by their own commands
model="$root/assets/models/emoji-image.fsm"
config="${XDG_CONFIG_HOME:-${HOME:-}/.config}"
if [ $# -eq 0 ] && [ -f "$model" ] && [ ! -f "$config/fieldscope/session.json" ]; then
  exec "$root/build/fieldscope" --model "$model"
fi
exec "$root/build/fieldscope" "$@"
