# Viewer benchmarks (included from bench/CMakeLists.txt when FIELDSCOPE_GUI is on).
add_executable(shared_tensor_bench ${CMAKE_CURRENT_SOURCE_DIR}/shared_tensor_bench.cpp)
target_link_libraries(shared_tensor_bench PRIVATE fieldscope_render fieldscope_model)
fieldscope_torch_target(shared_tensor_bench)

# GPU: zero copy vs staging through host memory (needs CUDA LibTorch and a CUDA device to run).
add_executable(gpu_interop_bench ${CMAKE_CURRENT_SOURCE_DIR}/gpu_interop_bench.cpp)
target_link_libraries(gpu_interop_bench PRIVATE fieldscope_render fieldscope_model)
fieldscope_torch_target(gpu_interop_bench)
# GPU: the image viewer and a paper-sized model on CUDA (needs CUDA LibTorch and a CUDA device).
add_executable(gpu_viewer_bench ${CMAKE_CURRENT_SOURCE_DIR}/gpu_viewer_bench.cpp)
target_link_libraries(gpu_viewer_bench PRIVATE fieldscope_app)
fieldscope_torch_target(gpu_viewer_bench)
# The 3D view's ray-march pass at 1280x720 (bench/results/raymarch_lavapipe.json).
add_executable(raymarch_bench ${CMAKE_CURRENT_SOURCE_DIR}/raymarch_bench.cpp)
target_link_libraries(raymarch_bench PRIVATE fieldscope_render nlohmann_json::nlohmann_json)
# The 3D view while orbiting, dynamic resolution on and off (bench/results/grid_view3d_lavapipe.json).
if(FIELDSCOPE_WINDOW)
  add_executable(grid_view3d_bench ${CMAKE_CURRENT_SOURCE_DIR}/grid_view3d_bench.cpp
    ${PROJECT_SOURCE_DIR}/tests/domains/sdf/analytic_field.cpp)
  target_link_libraries(grid_view3d_bench PRIVATE fieldscope_app)
endif()
# The video viewer at 512^2: scrubbing, playback with prefetch, MP4 export (bench/results/video_viewer.json).
add_executable(video_playback_bench ${CMAKE_CURRENT_SOURCE_DIR}/video_playback_bench.cpp)
target_link_libraries(video_playback_bench PRIVATE fieldscope_app)
target_include_directories(video_playback_bench PRIVATE ${PROJECT_SOURCE_DIR})
fieldscope_torch_target(video_playback_bench)
