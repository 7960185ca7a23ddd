#!/usr/bin/env bash
# The sanitizer run: the project built with AddressSanitizer + UndefinedBehaviorSanitizer.
#   scripts/sanitize.sh            the whole scope (tests/sanitize.cmake, GCC, build-asan/): the project
#                                  without its window -- the model (networks, samplers, trainers, file
#                                  formats, readers of users' files), the headless renderer and the app --
#                                  with the unit, model and headless Vulkan tests (validation layers on)
#   scripts/sanitize.sh --files    the quick scope CI runs (tests/fuzz/fuzz.cmake, clang, build-fuzz/): the
#                                  readers of users' files (the torch-free libraries), the torch.save reader
#                                  and the viewer's parsers with their tests, in the same instrumented
#                                  build as the fuzz targets (scripts/fuzz.sh), so CI compiles them once
# Extra arguments go to ctest. Any sanitizer report fails the test that triggered it. Times on the
# 2-core machine: tests/fuzz/RESULTS.md "Sanitizer run".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scope=all
if [ "${1:-}" = "--files" ]; then scope=files; shift; fi
if [ "$scope" = files ]; then
  command -v clang++ >/dev/null || { echo "sanitize.sh: clang++ is missing (apt-get install clang)" >&2; exit 2; }
  build="$root/build-fuzz"
  CXX=clang++ CC=clang cmake -S "$root" -B "$build" -DFIELDSCOPE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  # Everything that build has: these tests (its only ctest entries) and the fuzz targets.
  cmake --build "$build" -j "$(nproc)"
  selection=()
else
  build="$root/build-asan"
  cmake -S "$root" -B "$build" -DFIELDSCOPE_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" -j "$(nproc)"
  selection=(-L 'unit|model|vulkan')
fi
cd "$build"
# detect_leaks: a leak fails the test too. No suppressions (one entry turns leak detection off, with
# its reason: tests/gui_tests.cmake).
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
ctest --output-on-failure -j "$(nproc)" "${selection[@]}" "$@"
