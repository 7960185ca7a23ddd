#!/usr/bin/env bash
# On the GPU server after scripts/gpu/build.sh: runs the GPU tests, the CUDA self-test and the GPU
# benchmarks; logs and bench JSON go to $1 (default bench/results/gpu-run).
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build-gpu}
OUTDIR=${1:-bench/results/gpu-run}
mkdir -p "$OUTDIR"
source scripts/gpu/env.sh
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm --format=csv > "$OUTDIR/gpu.txt" 2>&1
"$BUILD/fieldscope" --version > "$OUTDIR/version.txt" 2>&1
FIELDSCOPE_VALIDATION=1 "$BUILD/fieldscope" selftest --device cuda > "$OUTDIR/selftest.txt" 2>&1
echo "selftest rc=$?" >> "$OUTDIR/selftest.txt"
(cd "$BUILD" && ctest -L gpu --output-on-failure --timeout 600) > "$OUTDIR/gpu_tests.txt" 2>&1
echo "gpu tests rc=$?" >> "$OUTDIR/gpu_tests.txt"
for b in ${BENCHES:-gpu_interop_bench}; do
  [ -x "$BUILD/bench/$b" ] || continue
  timeout 300 "$BUILD/bench/$b" "$OUTDIR/$b.json" > "$OUTDIR/$b.log" 2>&1
  echo "$b rc=$?" >> "$OUTDIR/$b.log"
done
tail -n 4 "$OUTDIR"/*.txt "$OUTDIR"/*.log 2>/dev/null
