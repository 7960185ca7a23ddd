# The test build with an extra, test-only domain (tests/domains/constant/): the same main.cpp
# and app library as `fieldscope`, with tests/domains/domain_list.cpp as its one list.
file(GLOB TEST_DOMAIN_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/constant/*.cpp ${CMAKE_CURRENT_LIST_DIR}/sdf/*.cpp)
fieldscope_executable(fieldscope_test_domains ${CMAKE_CURRENT_LIST_DIR}/domain_list.cpp ${TEST_DOMAIN_SOURCES})

add_executable(domain_window_tests ${CMAKE_CURRENT_LIST_DIR}/domain_window_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/blas_single_thread.cpp)
target_compile_definitions(domain_window_tests PRIVATE FIELDSCOPE_BINARY="$<TARGET_FILE:fieldscope_test_domains>"
  FIELDSCOPE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
target_include_directories(domain_window_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests/window)
target_link_libraries(domain_window_tests PRIVATE fieldscope_model GTest::gtest GTest::gtest_main)
add_dependencies(domain_window_tests fieldscope_test_domains)
# Each test is its own ctest entry, run with a display (a private Xvfb when there is none).
set_target_properties(domain_window_tests PROPERTIES CROSSCOMPILING_EMULATOR ${PROJECT_SOURCE_DIR}/tests/with_display.sh)
fieldscope_gtests(domain_window_tests DISCOVERY_TIMEOUT 60 TEST_PREFIX "domains."
  PROPERTIES LABELS "window" TIMEOUT 300 ENVIRONMENT "FIELDSCOPE_VALIDATION=1")

# The 3D view (app/views/grid_view3d.*) through the real app with the analytic sdftest domain:
# pictures against the CPU ray-march reference (render/raymarch_cpu.cpp).
add_executable(view3d_window_tests ${CMAKE_CURRENT_LIST_DIR}/view3d_window_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sdf/analytic_field.cpp ${PROJECT_SOURCE_DIR}/tests/blas_single_thread.cpp)
target_compile_definitions(view3d_window_tests PRIVATE FIELDSCOPE_BINARY="$<TARGET_FILE:fieldscope_test_domains>"
  FIELDSCOPE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
target_include_directories(view3d_window_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests/window ${PROJECT_SOURCE_DIR}/tests/vulkan)
target_link_libraries(view3d_window_tests PRIVATE fieldscope_app GTest::gtest GTest::gtest_main)
add_dependencies(view3d_window_tests fieldscope_test_domains)
set_target_properties(view3d_window_tests PROPERTIES CROSSCOMPILING_EMULATOR ${PROJECT_SOURCE_DIR}/tests/with_display.sh)
fieldscope_gtests(view3d_window_tests DISCOVERY_TIMEOUT 60 TEST_PREFIX "view3d."
  PROPERTIES LABELS "window" TIMEOUT 300 ENVIRONMENT "FIELDSCOPE_VALIDATION=1")
