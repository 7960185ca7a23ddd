#!/usr/bin/env bash
# The sanitizer run (tests/sanitize.cmake): the project without its window, built with
# AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/.
#   scripts/sanitize.sh            the whole scope: the model (networks, samplers, trainers, file
#                                  formats, readers of users' files), the headless renderer and the app,
#                                  with the unit, model and headless Vulkan tests (validation layers on)
#   scripts/sanitize.sh --files    the quick scope CI runs: the readers of users' files (torch-free
#                                  libraries), the model file format and the viewer's parsers, and their tests
# Extra arguments go to ctest. Any sanitizer report fails the test that triggered it. Times on the
# 2-core machine: tests/fuzz/RESULTS.md "Sanitizer run".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-asan"
scope=all
if [ "${1:-}" = "--files" ]; then scope=files; shift; fi
cmake -S "$root" -B "$build" -DFIELDSCOPE_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
files_tests=(geometry_tests shape_data_tests video_io_tests video_data_tests photo_data_tests scene_data_tests
             checkpoint_tests viewer_parser_tests)
if [ "$scope" = files ]; then
  cmake --build "$build" -j "$(nproc)" --target "${files_tests[@]}"
  selection=(-R "^($(IFS='|'; echo "${files_tests[*]}"))\$")
else
  cmake --build "$build" -j "$(nproc)"
  selection=(-L 'unit|model|vulkan')
fi
cd "$build"
# detect_leaks: a leak fails the test too. No suppressions (one entry turns leak detection off, with
# its reason: tests/gui_tests.cmake).
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
ctest --output-on-failure -j "$(nproc)" "${selection[@]}" "$@"
