# -DFIELDSCOPE_SANITIZE=ON (scripts/sanitize.sh, build-asan/): built with AddressSanitizer and
# UndefinedBehaviorSanitizer (any UB aborts), with their unit tests:
# - the torch-free libraries: the readers and writers of users' files (geometry and OBJ, shape
#   data, video I/O through libav, clip data, photos and PNG/JPEG, NeRF scenes, torch.save archives);
# - the model file format (model/checkpoint/, on LibTorch, which itself is not instrumented);
# - the viewer's parsers (app/parsers.cmake: session.json, startup plan, view placement, flags).
# The rest of model/ (the networks), Vulkan and the app are not in this configuration: a sanitized
# build of model/ alone takes longer than CI's time on 2 cores allows (tests/fuzz/RESULTS.md).
add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1)
add_link_options(-fsanitize=address,undefined)
enable_testing()
find_package(GTest REQUIRED)
include(GoogleTest)
find_package(Torch REQUIRED)
add_subdirectory(model)  # its torch-free part and model/checkpoint/
foreach(dir geometry shape_data video_io video_data photo_data scene_data checkpoint)
  add_subdirectory(tests/${dir})
endforeach()
include(app/parsers.cmake)
add_library(fieldscope_sanitize_app_parsers STATIC ${FIELDSCOPE_APP_PARSER_SOURCES})
target_include_directories(fieldscope_sanitize_app_parsers PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(fieldscope_sanitize_app_parsers PUBLIC nlohmann_json::nlohmann_json fieldscope_io_base)
add_executable(sanitized_viewer_tests tests/viewer/session_test.cpp tests/viewer/startup_plan_test.cpp
                                      tests/viewer/view2d_test.cpp tests/viewer/json_integer_test.cpp)
target_link_libraries(sanitized_viewer_tests PRIVATE fieldscope_sanitize_app_parsers GTest::gtest GTest::gtest_main)
gtest_discover_tests(sanitized_viewer_tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "unit")
