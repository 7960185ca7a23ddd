# Viewer tests (included from tests/CMakeLists.txt when FIELDSCOPE_GUI is on).
# Vulkan tests run with validation layers (FIELDSCOPE_VALIDATION=1) and fail on any error.
file(GLOB VIEWER_UNIT_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/viewer/*.cpp)
if(NOT FIELDSCOPE_WINDOW)  # these two test windowed code (app/views/view3d_state, app/gui/file_browser)
  list(FILTER VIEWER_UNIT_SOURCES EXCLUDE REGEX "/(view3d_state|file_browser)_test\\.cpp$")
endif()
add_executable(viewer_unit_tests ${VIEWER_UNIT_SOURCES} ${PROJECT_SOURCE_DIR}/tests/blas_single_thread.cpp)
# fieldscope_app: the session file and other torch-free viewer logic.
target_link_libraries(viewer_unit_tests PRIVATE fieldscope_app fieldscope_render fieldscope_model GTest::gtest GTest::gtest_main)
# ReproduceCommand runs the copied command line with the real binary.
target_compile_definitions(viewer_unit_tests PRIVATE FIELDSCOPE_BINARY="$<TARGET_FILE:fieldscope>"
                                                     FIELDSCOPE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_dependencies(viewer_unit_tests fieldscope)
fieldscope_gtests(viewer_unit_tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "unit")

file(GLOB VULKAN_TEST_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/vulkan/*.cpp)
if(NOT FIELDSCOPE_WINDOW)  # the 3D view's test drives the windowed view code (app/views/)
  list(FILTER VULKAN_TEST_SOURCES EXCLUDE REGEX "/grid_view3d_test\\.cpp$")
endif()
add_executable(vulkan_tests ${VULKAN_TEST_SOURCES} ${PROJECT_SOURCE_DIR}/tests/blas_single_thread.cpp)
target_link_libraries(vulkan_tests PRIVATE fieldscope_app GTest::gtest GTest::gtest_main)
target_compile_definitions(vulkan_tests PRIVATE FIELDSCOPE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
fieldscope_torch_target(vulkan_tests)
fieldscope_gtests(vulkan_tests DISCOVERY_TIMEOUT 60
  PROPERTIES LABELS "vulkan" ENVIRONMENT "FIELDSCOPE_VALIDATION=1" TIMEOUT 600)
if(FIELDSCOPE_SANITIZE)
  # No leak check in this one entry (ASan's other checks and UBSan stay): the Vulkan loader unloads
  # Mesa's lavapipe driver at vkDestroyInstance, and LeakSanitizer then finds ~11 MB of indirect
  # leaks in LLVM objects of that driver, which it can no longer attribute to a library
  # ("<unknown module>"), so no suppression can name them. Measured 2026-12-04; all indirect.
  set_tests_properties(vulkan_tests PROPERTIES ENVIRONMENT
    "FIELDSCOPE_VALIDATION=1;ASAN_OPTIONS=detect_leaks=0:abort_on_error=1")
endif()

if(NOT FIELDSCOPE_SANITIZE)  # no CUDA there (tests/sanitize.cmake)
  include(${CMAKE_CURRENT_SOURCE_DIR}/gpu_tests.cmake)
endif()
if(NOT FIELDSCOPE_WINDOW)
  return()
endif()
# Tests that run the fieldscope binary: CLI checks need no display; window checks get one.
add_executable(cli_tests window/cli_test.cpp window/cli_values_test.cpp window/full_disk_test.cpp)
target_compile_definitions(cli_tests PRIVATE FIELDSCOPE_BINARY="$<TARGET_FILE:fieldscope>"
                                            FIELDSCOPE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
target_link_libraries(cli_tests PRIVATE GTest::gtest GTest::gtest_main)
add_dependencies(cli_tests fieldscope)
fieldscope_gtests(cli_tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "cli" TIMEOUT 300)

# One ctest entry per window test, each with its own timeout, each under its own display:
# with_display.sh starts a private Xvfb per invocation (Xvfb -displayfd picks a free display
# number, so tests run with ctest -j do not collide). Listing the tests (at build time) opens no
# window, and with_display.sh runs it without a display.
add_executable(window_tests window/window_test.cpp window/session_window_test.cpp window/export_window_test.cpp
               window/shape_window_test.cpp window/video_window_test.cpp window/sr_window_test.cpp window/nerf_window_test.cpp
               window/dialog_window_test.cpp window/import_window_test.cpp window/guidance_window_test.cpp
               ${PROJECT_SOURCE_DIR}/tests/blas_single_thread.cpp)
target_compile_definitions(window_tests PRIVATE FIELDSCOPE_BINARY="$<TARGET_FILE:fieldscope>"
  FIELDSCOPE_SOURCE_DIR="${PROJECT_SOURCE_DIR}" FIELDSCOPE_DDMI_FIXTURE_DIR="${CMAKE_BINARY_DIR}/test-fixtures/ddmi")
target_link_libraries(window_tests PRIVATE fieldscope_model fieldscope_cli_model GTest::gtest GTest::gtest_main)
add_dependencies(window_tests fieldscope)
set_target_properties(window_tests PROPERTIES CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_SOURCE_DIR}/with_display.sh)
fieldscope_gtests(window_tests TEST_FILTER "-ImportWindow*" DISCOVERY_TIMEOUT 60
  PROPERTIES LABELS "window" TIMEOUT 600 ENVIRONMENT "FIELDSCOPE_VALIDATION=1")
# File > Import reads the DDMI checkpoint fixture (tests/model/CMakeLists.txt: ddmi_checkpoint).
fieldscope_gtests(window_tests TEST_FILTER "ImportWindow*" DISCOVERY_TIMEOUT 60
  PROPERTIES LABELS "window" TIMEOUT 600 ENVIRONMENT "FIELDSCOPE_VALIDATION=1" FIXTURES_REQUIRED ddmi_checkpoint)
# The window's pixels as the X server shows them, on both present paths (render/presenter.h; X11 is
# found in the top-level CMakeLists.txt).
add_executable(present_tests window/present_test.cpp)
target_link_libraries(present_tests PRIVATE fieldscope_render X11::X11 GTest::gtest GTest::gtest_main)
set_target_properties(present_tests PROPERTIES CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_SOURCE_DIR}/with_display.sh)
fieldscope_gtests(present_tests DISCOVERY_TIMEOUT 60
  PROPERTIES LABELS "window" TIMEOUT 120 ENVIRONMENT "FIELDSCOPE_VALIDATION=1")
# The same on an X server without MIT-SHM: the presenter falls back to the swapchain.
fieldscope_gtests(present_tests TEST_PREFIX "NoMitShm." DISCOVERY_TIMEOUT 60
  PROPERTIES LABELS "window" TIMEOUT 120 ENVIRONMENT "FIELDSCOPE_VALIDATION=1;FIELDSCOPE_XVFB_ARGS=-extension MIT-SHM")
include(${CMAKE_CURRENT_SOURCE_DIR}/domains/domains.cmake)
