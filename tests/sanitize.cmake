# -DFIELDSCOPE_SANITIZE=ON (scripts/sanitize.sh, build-asan/): the torch-free libraries -- the
# readers and writers of users' files (geometry and OBJ, shape data, video I/O through libav,
# clip data, photos and PNG/JPEG, NeRF scenes) -- and their unit tests, built with AddressSanitizer and
# UndefinedBehaviorSanitizer (any UB aborts). LibTorch, Vulkan and the app are not in this
# configuration: a sanitized build of them does not fit CI's time on 2 cores (tests/fuzz/RESULTS.md).
add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1)
add_link_options(-fsanitize=address,undefined)
enable_testing()
find_package(GTest REQUIRED)
include(GoogleTest)
add_subdirectory(model)  # its torch-free part only
foreach(dir geometry shape_data video_io video_data photo_data scene_data)
  add_subdirectory(tests/${dir})
endforeach()
