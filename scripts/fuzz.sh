#!/usr/bin/env bash
# Fuzzing (tests/fuzz/README.md): builds the libFuzzer targets with clang in build-fuzz/ (ASan +
# UBSan) and runs them.
#   scripts/fuzz.sh TARGET SECONDS   fuzz one target (photo_pixels, obj_reader, video_reader,
#                                    session, cli_flags, checkpoint_peek, nerf_transforms, torch_archive,
#                                    yaml_subset) for SECONDS
#   scripts/fuzz.sh all SECONDS      each target in turn (CI: 20 s each)
#   scripts/fuzz.sh all replay       only replay the committed corpus (no new inputs)
# New inputs go to build-fuzz/corpus/TARGET (the committed seeds in tests/fuzz/corpus/TARGET
# are read, never written); a crash is saved as build-fuzz/crashes/TARGET-* and fails the run.
# One line per run is appended to build-fuzz/fuzz-runs.tsv (target, seconds, executions,
# coverage edges, corpus size, crashes) -- tests/fuzz/RESULTS.md is written from it.
# FUZZ_JOBS=N runs N fuzzer processes of each target side by side on its corpus (one a core; logs
# fuzz-TARGET.log, fuzz-TARGET-2.log, ...); the line then has their executions summed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -eq 2 ] || { sed -n 3,12p "$0"; exit 2; }
what=$1 seconds=$2
build="$root/build-fuzz"
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is missing (apt-get install clang)" >&2; exit 2; }
CXX=clang++ CC=clang cmake -S "$root" -B "$build" -DFIELDSCOPE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets=(photo_pixels obj_reader video_reader session cli_flags checkpoint_peek nerf_transforms torch_archive yaml_subset)
[ "$what" = all ] || targets=("$what")
cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/fuzz_}" >/dev/null
mkdir -p "$build/crashes"
status=0
for t in "${targets[@]}"; do
  seeds="$root/tests/fuzz/corpus/$t" work="$build/corpus/$t" log="$build/fuzz-$t.log"
  [ -d "$seeds" ] || { echo "fuzz.sh: no corpus folder $seeds" >&2; exit 2; }
  mkdir -p "$work"
  # Crashes, leaks, timeouts and out-of-memory inputs; libFuzzer's slow-unit-* files (inputs over
  # -report_slow_units seconds) are kept beside them but are not failures.
  count() { ls "$build/crashes" | grep "^$t-" | grep -vc -- "-slow-unit-" || true; }
  before=$(count)
  if [ "$seconds" = replay ]; then
    args=(-runs=0)
  else
    args=(-max_total_time="$seconds" "$work")
  fi
  jobs=${FUZZ_JOBS:-1}
  [ "$seconds" = replay ] && jobs=1
  logs=("$log")
  for ((j = 2; j <= jobs; ++j)); do logs+=("$build/fuzz-$t-$j.log"); done
  # -rss_limit_mb: one input's memory is bounded by the loaders' own limits well under this.
  pids=()
  for l in "${logs[@]}"; do
    "$build/fuzz_$t" "${args[@]}" "$seeds" -timeout=20 -rss_limit_mb=3072 -max_len=262144 -print_final_stats=1 \
      -artifact_prefix="$build/crashes/$t-" >"$l" 2>&1 &
    pids+=($!)
  done
  rc=0
  for p in "${pids[@]}"; do wait "$p" || rc=$?; done
  runs=0
  for l in "${logs[@]}"; do
    n=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$l" | grep -o '[0-9]*$' || echo 0)
    runs=$((runs + n))
  done
  edges=$(cat "${logs[@]}" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*' | sort -n | tail -1 || echo 0)
  corpus=$(ls "$work" | wc -l)
  crashes=$(( $(count) - before ))  # new in this run
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$seconds" "$runs" "$edges" "$corpus" "$crashes" \
    >>"$build/fuzz-runs.tsv"
  if [ $rc -ne 0 ]; then
    echo "fuzz.sh: $t FAILED (exit $rc) -- see ${logs[*]} and $build/crashes/$t-*" >&2
    cat "${logs[@]}" | grep -m3 -E "ERROR|SUMMARY|runtime error" >&2 || true
    status=1
  else
    echo "fuzz.sh: $t: $runs executions, $edges coverage edges, corpus $corpus, no crash"
  fi
done
exit $status
