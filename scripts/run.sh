#!/usr/bin/env bash
# README command 1: install what is missing, build, open the viewer.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
exec "$root/build/fieldscope" "$@"
