#!/usr/bin/env bash
# Run on a Debian 12 machine with network (e.g. the developer's): downloads the Debian packages a
# GPU server without a display lacks, for scripts/gpu/build.sh to unpack there (no network
# needed on the GPU server). .gl/ holds the Vulkan loader and GL dispatch libraries, which are
# unpacked into / ; .gpu-debs/ holds build dependencies, unpacked into a private prefix.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .gl .gpu-debs /tmp/fieldscope-apt/partial
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/fieldscope-apt'
apt-get $o update >/dev/null
(cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
(cd .gpu-debs && apt-get $o download libvulkan1 libvulkan-dev glslc libshaderc1 vulkan-validationlayers \
  libglm-dev nlohmann-json3-dev libcli11-dev libstb-dev libstb0 libgtest-dev libbenchmark-dev libbenchmark1debian \
  libfreetype-dev libfreetype6 libpng16-16 libbrotli1 libtinyobjloader-dev libtinyobjloader2rc10 \
  libharfbuzz-dev libharfbuzz0b libgraphite2-3 libglib2.0-0 unicode-data libgloo-dev)
du -sh .gl .gpu-debs
