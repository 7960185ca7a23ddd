#!/usr/bin/env bash
# Builds Fieldscope with CUDA on a GPU server without a display (no GLFW/ImGui: the headless
# viewer, the CLI, the tests and benchmarks), against the CUDA LibTorch of the machine's
# PyTorch. Missing Debian libraries come from .gl/ and .gpu-debs/ (scripts/gpu/fetch_debs.sh).
# Usage: scripts/gpu/build.sh [build-dir]   then   source scripts/gpu/env.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build-gpu}
source scripts/gpu/env.sh
if ! ldconfig -p | grep -q 'libvulkan.so.1'; then  # the Vulkan loader and GL dispatch into /
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
mkdir -p "$FIELDSCOPE_DEPS"
for f in .gpu-debs/*.deb; do dpkg -x "$f" "$FIELDSCOPE_DEPS"; done
TORCH_PREFIX=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
LIB=$FIELDSCOPE_DEPS/usr/lib/x86_64-linux-gnu
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFIELDSCOPE_WINDOW=OFF \
  -DCMAKE_PREFIX_PATH="$TORCH_PREFIX;$FIELDSCOPE_DEPS/usr;$LIB/cmake" \
  -DVulkan_INCLUDE_DIR="$FIELDSCOPE_DEPS/usr/include" -DVulkan_LIBRARY="$LIB/libvulkan.so.1" \
  -DFIELDSCOPE_REQUIRE_LIBAV=OFF -DCMAKE_CUDA_COMPILER="$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)" -DCCACHE_PROGRAM=OFF
ninja -C "$BUILD" -j"$(nproc)" "${@:2}"
