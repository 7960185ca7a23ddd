#!/usr/bin/env bash
# The sanitizer run (tests/sanitize.cmake): builds the torch-free libraries and their unit tests
# with AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/ and runs them. Extra
# arguments go to ctest. Any sanitizer report fails the test that triggered it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-asan"
cmake -S "$root" -B "$build" -DFIELDSCOPE_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)"
cd "$build"
# detect_leaks: a leak fails the test too. No suppressions.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
ctest --output-on-failure -j "$(nproc)" "$@"
