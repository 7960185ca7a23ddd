#!/usr/bin/env bash
# Installs the Debian 12 packages Fieldscope needs (only the missing ones), then
# configures and builds into build/. Used by both README commands.
# Arguments: the targets to build (default: all of the configuration); FIELDSCOPE_CMAKE_ARGS:
# extra configure options (test.sh leaves the benchmarks out, bench.sh puts them in).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

packages=(
  build-essential cmake pkg-config ccache
  libtorch-dev libopenblas0-pthread libgloo-dev  # libgloo-dev: c10d's Gloo headers (docs/training.md)
  libdnnl-dev  # oneDNN's sgemm for the readout's CPU GEMMs (model/util/cpu_gemm.h; LibTorch links libdnnl already)
  libimgui-dev libglfw3-dev libvulkan-dev glslc vulkan-validationlayers mesa-vulkan-drivers
  libx11-dev libxext-dev  # MIT-SHM frames for CPU drivers on X servers without DRI3 (render/x11_shm_target.h)
  libglm-dev libtinyobjloader-dev libstb-dev nlohmann-json3-dev libcli11-dev
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev
  libgtest-dev libbenchmark-dev libfreetype-dev fonts-noto-color-emoji
  libharfbuzz-dev unicode-data  # the emoji classes of the sample-quality metric (model/data/emoji_labels.h)
  libpng-dev clang libclang-rt-14-dev
  xvfb xauth
  python3  # scripts/bench.sh summarises repeated runs with it
  python3-torch  # only for the test that writes a checkpoint in the DDMI authors' layout (tests/import/)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "fieldscope setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release ${FIELDSCOPE_CMAKE_ARGS:-} >/dev/null
targets=()
(($#)) && targets=(--target "$@")
cmake --build build -j "$jobs" "${targets[@]}"
