# GPU tests (label "gpu"): CUDA memory shared with Vulkan. They skip, saying why, where this
# build's LibTorch has no CUDA or the machine has no CUDA device.
file(GLOB GPU_TEST_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/gpu/*.cpp)
add_executable(gpu_tests ${GPU_TEST_SOURCES} ${PROJECT_SOURCE_DIR}/tests/blas_single_thread.cpp)
target_link_libraries(gpu_tests PRIVATE fieldscope_app GTest::gtest GTest::gtest_main)
if(FIELDSCOPE_CUDA_INTEROP)
  target_link_libraries(gpu_tests PRIVATE CUDA::cudart)
endif()
fieldscope_torch_target(gpu_tests)
fieldscope_gtests(gpu_tests DISCOVERY_TIMEOUT 60
  PROPERTIES LABELS "gpu" ENVIRONMENT "FIELDSCOPE_VALIDATION=1" TIMEOUT 600)
