# The part of render/ that is plain C++ (glm headers, no Vulkan, no torch): the orbit camera, the
# ray-march settings -> uniform block, and the CPU ray marcher. Built in every configuration, so
# the headless CLI (`fieldscope sample -o view.png --camera`) renders a shape the way the viewer
# does (docs/architecture.md "The shape domain").
set(FIELDSCOPE_RENDER_CPU_SOURCES ${CMAKE_CURRENT_LIST_DIR}/orbit_camera.cpp ${CMAKE_CURRENT_LIST_DIR}/raymarch_settings.cpp
    ${CMAKE_CURRENT_LIST_DIR}/raymarch_cpu.cpp ${CMAKE_CURRENT_LIST_DIR}/volume_march_cpu.cpp)
add_library(fieldscope_render_cpu STATIC ${FIELDSCOPE_RENDER_CPU_SOURCES})
target_include_directories(fieldscope_render_cpu PUBLIC ${PROJECT_SOURCE_DIR})
find_package(Threads REQUIRED)
target_link_libraries(fieldscope_render_cpu PUBLIC Threads::Threads)
# GLM's own package where it has one (its include folder is then not assumed to be /usr/include, as
# on a GPU server whose Debian libraries are unpacked into a private prefix: scripts/gpu/build.sh).
find_package(glm CONFIG QUIET)
if(TARGET glm::glm)
  target_link_libraries(fieldscope_render_cpu PUBLIC glm::glm)
endif()
