# The libFuzzer targets (tests/fuzz/README.md), built alone: `cmake -DFIELDSCOPE_FUZZ=ON` with
# clang (scripts/fuzz.sh does it in build-fuzz/). Only the torch-free libraries are built, each
# instrumented for coverage with AddressSanitizer and UndefinedBehaviorSanitizer (any UB aborts).
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "FIELDSCOPE_FUZZ needs clang (libFuzzer): CXX=clang++ cmake -DFIELDSCOPE_FUZZ=ON ...")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer -g -O1)
add_link_options(-fsanitize=address,undefined)
add_subdirectory(${PROJECT_SOURCE_DIR}/model ${PROJECT_BINARY_DIR}/model)  # its torch-free part
include(${PROJECT_SOURCE_DIR}/app/parsers.cmake)
add_library(fieldscope_fuzz_app_parsers STATIC ${FIELDSCOPE_APP_PARSER_SOURCES})
target_include_directories(fieldscope_fuzz_app_parsers PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(fieldscope_fuzz_app_parsers PUBLIC nlohmann_json::nlohmann_json fieldscope_io_base)

# fieldscope_fuzz_target(NAME LIBS...): tests/fuzz/NAME_fuzz.cpp -> fuzz_NAME.
function(fieldscope_fuzz_target name)
  add_executable(fuzz_${name} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/${name}_fuzz.cpp)
  target_link_libraries(fuzz_${name} PRIVATE ${ARGN})
  target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  set_property(GLOBAL APPEND PROPERTY FIELDSCOPE_FUZZ_TARGETS ${name})
endfunction()

fieldscope_fuzz_target(photo_pixels fieldscope_photo_data)
fieldscope_fuzz_target(obj_reader fieldscope_geometry)
fieldscope_fuzz_target(video_reader fieldscope_video_io)
fieldscope_fuzz_target(session fieldscope_fuzz_app_parsers)
fieldscope_fuzz_target(cli_flags fieldscope_fuzz_app_parsers)
# The checkpoint's first look is torch-free; its source joins a small library here.
add_library(fieldscope_fuzz_checkpoint_peek STATIC ${PROJECT_SOURCE_DIR}/model/checkpoint/checkpoint_peek.cpp)
target_include_directories(fieldscope_fuzz_checkpoint_peek PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(fieldscope_fuzz_checkpoint_peek PUBLIC nlohmann_json::nlohmann_json)
fieldscope_fuzz_target(checkpoint_peek fieldscope_fuzz_checkpoint_peek)
fieldscope_fuzz_target(nerf_transforms fieldscope_scene_data)
fieldscope_fuzz_target(torch_archive fieldscope_torch_archive)
fieldscope_fuzz_target(yaml_subset fieldscope_io_base)
get_property(targets GLOBAL PROPERTY FIELDSCOPE_FUZZ_TARGETS)
message(STATUS "Fieldscope fuzz targets: ${targets}")

# The sanitizer run's quick scope (`scripts/sanitize.sh --files`, what CI runs): the torch-free
# libraries' own tests, built here beside the fuzz targets so that one instrumented build of those
# libraries (clang, ASan + UBSan) serves both; a second build of them with GCC's sanitizers cost CI
# more than the fuzzing itself (tests/fuzz/RESULTS.md "Sanitizer run"). The model file format's
# tests need LibTorch: they run in the whole scope (`scripts/sanitize.sh`, tests/sanitize.cmake).
find_package(GTest REQUIRED)
enable_testing()
set(FIELDSCOPE_SANITIZE ON)  # fieldscope_gtests: one ctest entry per binary
include(${PROJECT_SOURCE_DIR}/tests/gtests.cmake)
foreach(dir geometry shape_data video_io video_data photo_data scene_data)
  add_subdirectory(${PROJECT_SOURCE_DIR}/tests/${dir} ${PROJECT_BINARY_DIR}/tests/${dir})
endforeach()
add_executable(torch_archive_tests ${PROJECT_SOURCE_DIR}/tests/checkpoint/torch_archive_test.cpp)
target_link_libraries(torch_archive_tests PRIVATE fieldscope_torch_archive GTest::gtest GTest::gtest_main)
fieldscope_gtests(torch_archive_tests PROPERTIES LABELS "files")
set(viewer_tests ${PROJECT_SOURCE_DIR}/tests/viewer)
add_executable(viewer_parser_tests ${viewer_tests}/session_test.cpp ${viewer_tests}/startup_plan_test.cpp
                                   ${viewer_tests}/view2d_test.cpp ${viewer_tests}/json_integer_test.cpp)
target_link_libraries(viewer_parser_tests PRIVATE fieldscope_fuzz_app_parsers GTest::gtest GTest::gtest_main)
fieldscope_gtests(viewer_parser_tests PROPERTIES LABELS "files")
