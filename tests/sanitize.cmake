# -DFIELDSCOPE_SANITIZE=ON (scripts/sanitize.sh, build-asan/): the project without its window and its
# benchmarks, built with AddressSanitizer and UndefinedBehaviorSanitizer (any UB aborts):
# - model/: the networks, samplers, trainers, data sets and the model file format, the readers and
#   writers of users' files (PNG/JPEG, OBJ, video through libav, NeRF scenes, torch.save archives);
# - render/ without a window: the headless Vulkan renderer (lavapipe, validation layers on);
# - app/: the command line (the `fieldscope` binary the CLI tests run is the sanitized one) and the
#   viewer's logic (session.json, tile pyramid, startup plan, view placement, flags);
# with the unit, model and headless Vulkan tests (labels unit, model, vulkan). LibTorch, Mesa, libav
# and the other system libraries are not instrumented: their inside is not checked.
# Compile time is what bounds this build on CI's 2 cores (tests/fuzz/RESULTS.md "Sanitizer run"): -O1
# and line tables only (-g1, enough for the reports' file:line), and no `vptr` check (UBSan's dynamic
# type check of every member call on a polymorphic object: a torch-using unity batch took 52 s with it,
# 37 s without; GCC 12, measured 2026-12-04). Every other UBSan check and ASan stay.
add_compile_options(-fsanitize=address,undefined -fno-sanitize=vptr -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer -O1 -g1)
add_link_options(-fsanitize=address,undefined -fno-sanitize=vptr)
set(FIELDSCOPE_WINDOW OFF CACHE BOOL "The sanitizer build has no window (tests/sanitize.cmake)" FORCE)
set(FIELDSCOPE_BENCH OFF CACHE BOOL "The sanitizer build has no benchmarks (tests/sanitize.cmake)" FORCE)
set(FIELDSCOPE_CUDA OFF CACHE BOOL "The sanitizer build has no CUDA (tests/sanitize.cmake)" FORCE)
