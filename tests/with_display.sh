#!/usr/bin/env bash
# Runs "$@" with an X display: the current one if it answers, else a private Xvfb
# (-displayfd picks a free display number without races between parallel tests).
# FIELDSCOPE_XVFB_ARGS: extra Xvfb arguments, and then always a private Xvfb (e.g.
# "-extension MIT-SHM": a server without shared memory, tests/window/present_test.cpp).
set -euo pipefail
# Listing gtest tests (test discovery, at build time) opens no window: it needs no display.
for arg in "$@"; do
  if [ "$arg" = --gtest_list_tests ]; then exec "$@"; fi
done
if [ -z "${FIELDSCOPE_XVFB_ARGS:-}" ] && [ -n "${DISPLAY:-}" ] && { command -v xdpyinfo >/dev/null 2>&1 && xdpyinfo >/dev/null 2>&1 || [ -S "/tmp/.X11-unix/X${DISPLAY#*:}" ]; }; then
  exec "$@"
fi
command -v Xvfb >/dev/null || { echo "with_display.sh: Xvfb is not installed (Debian package xvfb)" >&2; exit 1; }
fdfile=$(mktemp)
# shellcheck disable=SC2086  # the extra arguments are words
# -noreset: without it the server resets when its last client disconnects, and a test that closes
# its window and opens another can hit that reset ("Failed to open display").
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp -noreset ${FIELDSCOPE_XVFB_ARGS:-} 3>"$fdfile" >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -f "$fdfile"' EXIT
for _ in $(seq 100); do
  [ -s "$fdfile" ] && break
  sleep 0.1
done
[ -s "$fdfile" ] || { echo "with_display.sh: Xvfb did not start" >&2; exit 1; }
export DISPLAY=":$(head -n1 "$fdfile")"
"$@"
