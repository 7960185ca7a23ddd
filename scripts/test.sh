#!/usr/bin/env bash
# README command 2: install what is missing, build, run the whole test suite.
# Tests that need a window start their own Xvfb (tests/with_display.sh); Vulkan
# falls back to lavapipe when there is no GPU; validation layers are on.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# The benchmarks are not tests: they are left out of this build (bench.sh builds them; .ci/run
# checks that they still compile, after the tests).
FIELDSCOPE_CMAKE_ARGS="-DFIELDSCOPE_BENCH=OFF ${FIELDSCOPE_CMAKE_ARGS:-}" "$root/scripts/setup.sh"
cd "$root/build"
export FIELDSCOPE_VALIDATION=1
ctest --output-on-failure -j 2 "$@"
