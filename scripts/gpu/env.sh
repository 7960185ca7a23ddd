# Source this on the GPU server: where scripts/gpu/build.sh unpacked the Debian libraries.
export FIELDSCOPE_DEPS=${FIELDSCOPE_DEPS:-/opt/fieldscope-deps}
export PATH=$FIELDSCOPE_DEPS/usr/bin:$PATH
export LD_LIBRARY_PATH=$FIELDSCOPE_DEPS/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export PKG_CONFIG_PATH=$FIELDSCOPE_DEPS/usr/lib/x86_64-linux-gnu/pkgconfig:$FIELDSCOPE_DEPS/usr/share/pkgconfig
export PKG_CONFIG_SYSROOT_DIR=$FIELDSCOPE_DEPS   # the .pc files say prefix=/usr
export VK_LAYER_PATH=$FIELDSCOPE_DEPS/usr/share/vulkan/explicit_layer.d
