#!/usr/bin/env bash
# On the GPU server after scripts/gpu/build.sh: runs the GPU tests, the CUDA self-test and the GPU
# benchmarks; logs and bench JSON go to $1 (default bench/results/gpu-run).
# Optional, by environment:
#   SR_INPUT=PIC.png        super-resolution on CUDA (issue 11): decoder-only outputs of 1/4/16/64
#                           MPx, the 50-step x4 and x8 of PIC, and x8 of SR_SMALL_INPUT when given;
#   TRAIN_DATA=DIR          training on CUDA (issue 18): samples/s of the paper presets' image-vae
#                           and image-ldm, 1 process vs --nproc 2 on this machine's GPUs;
#   SKIP_TESTS=1            no ctest -L gpu (benchmarks only).
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build-gpu}
OUTDIR=${1:-bench/results/gpu-run}
mkdir -p "$OUTDIR"
source scripts/gpu/env.sh
{
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm --format=csv
  "$BUILD/fieldscope" --version
} > "$OUTDIR/info.txt" 2>&1
FIELDSCOPE_VALIDATION=1 "$BUILD/fieldscope" selftest --device cuda > "$OUTDIR/selftest.txt" 2>&1
echo "selftest rc=$?" >> "$OUTDIR/selftest.txt"
# The viewer's headless render on CUDA equals the direct CUDA decode (same seed and region).
{
  S=("$BUILD/fieldscope" sample --model assets/models/emoji-image.fsm --seed 2 --region 0.1,0.2,0.6,0.45 --size 400x200
     --device cuda)
  FIELDSCOPE_VALIDATION=1 "${S[@]}" --renderer viewer -o /tmp/fs-viewer.png && "${S[@]}" --renderer direct -o /tmp/fs-direct.png &&
  python3 -c "import numpy as n; from PIL import Image as I; a=n.asarray(I.open('/tmp/fs-viewer.png')).astype(int); b=n.asarray(I.open('/tmp/fs-direct.png')).astype(int); print('viewer vs direct on CUDA: max abs diff', abs(a-b).max(), 'of 255, shape', a.shape)"
} >> "$OUTDIR/selftest.txt" 2>&1
for b in ${BENCHES:-gpu_interop_bench}; do
  exe=$(find "$BUILD/bench" -name "$b" -type f -perm -u+x | head -1)
  [ -n "$exe" ] || { echo "$b: not built" >> "$OUTDIR/benches.log"; continue; }
  echo "== $b" >> "$OUTDIR/benches.log"
  args=("$OUTDIR/$b.json")
  [ "$b" = model_gpu_bench ] && args=(--device cuda --preset paper --out "$OUTDIR/$b.json")
  timeout 300 "$exe" "${args[@]}" >> "$OUTDIR/benches.log" 2>&1
  echo "$b rc=$?" >> "$OUTDIR/benches.log"
done
export FIELDSCOPE=$BUILD/fieldscope
if [ -n "${SR_INPUT:-}" ]; then
  failed=0
  {
    DEVICE=cuda OUT="$OUTDIR/sr_upscale_cuda.json" timeout 300 bench/sr_upscale_bench.sh assets/models/photo-sr.fsm "$SR_INPUT" "$(nproc)" || failed=$((failed + 1))
    DEVICE=cuda OUT="$OUTDIR/sr_diffusion_cuda.json" timeout 200 bench/sr_diffusion_bench.sh "$SR_INPUT" assets/models/photo-sr-ldm.fsm "$(nproc)" 50 || failed=$((failed + 1))
    SCALE=8 DEVICE=cuda OUT="$OUTDIR/sr_diffusion_x8_cuda.json" timeout 200 bench/sr_diffusion_bench.sh "$SR_INPUT" assets/models/photo-sr-ldm.fsm "$(nproc)" 50 || failed=$((failed + 1))
    if [ -n "${SR_SMALL_INPUT:-}" ]; then
      SCALE=8 DEVICE=cuda OUT="$OUTDIR/sr_diffusion_x8_small_cuda.json" timeout 200 \
        bench/sr_diffusion_bench.sh "$SR_SMALL_INPUT" assets/models/photo-sr-ldm.fsm "$(nproc)" 50 || failed=$((failed + 1))
    fi
  } > "$OUTDIR/sr.log" 2>&1
  echo "sr benches: $failed failed" >> "$OUTDIR/sr.log"
fi
if [ -n "${TRAIN_DATA:-}" ]; then
  STEPS=${TRAIN_STEPS:-40} BATCH=${TRAIN_BATCH:-8} PRESET=paper DEVICE=cuda DATA="$TRAIN_DATA" \
    OUT="$OUTDIR/data_parallel_paper_cuda.json" timeout 400 bench/data_parallel_bench.sh > "$OUTDIR/train.log" 2>&1
  echo "training bench rc=$?" >> "$OUTDIR/train.log"
fi
if [ -z "${SKIP_TESTS:-}" ]; then
  (cd "$BUILD" && ctest -L gpu --output-on-failure --timeout 600) > "$OUTDIR/gpu_tests.txt" 2>&1
  echo "gpu tests rc=$?" >> "$OUTDIR/gpu_tests.txt"
fi
tail -n 3 "$OUTDIR"/*.txt "$OUTDIR"/*.log
grep -E "rc=|error|Error" "$OUTDIR/benches.log"
