#!/usr/bin/env bash
# README command 1: install what is missing, build, open the viewer on the shipped model.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
model="$root/assets/models/emoji-image.fsm"
if [ $# -eq 0 ] && [ -f "$model" ]; then
  exec "$root/build/fieldscope" --model "$model"
fi
exec "$root/build/fieldscope" "$@"
