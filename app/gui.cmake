# The viewer executable (included from app/CMakeLists.txt when FIELDSCOPE_GUI is on).
if(FIELDSCOPE_WINDOW)
  file(GLOB_RECURSE APP_GUI_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/gui/*.cpp ${CMAKE_CURRENT_SOURCE_DIR}/panels/*.cpp)
else()  # headless viewer paths only; `fieldscope` without a subcommand says there is no window
  file(GLOB_RECURSE APP_GUI_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/gui/*.cpp)
  list(REMOVE_ITEM APP_GUI_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/gui/gui_app.cpp)
  list(APPEND APP_GUI_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/no_window_entry.cpp)
endif()
add_library(fieldscope_app STATIC ${APP_GUI_SOURCES})
target_include_directories(fieldscope_app PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(fieldscope_app PUBLIC fieldscope_render fieldscope_interop fieldscope_cli_model fieldscope_model)

add_executable(fieldscope main.cpp)
target_link_libraries(fieldscope PRIVATE fieldscope_app)
set_target_properties(fieldscope PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
# Where the shipped models are when the binary runs from its build folder elsewhere (shipped_models.cpp).
set_source_files_properties(${CMAKE_CURRENT_SOURCE_DIR}/gui/shipped_models.cpp PROPERTIES
  COMPILE_DEFINITIONS FIELDSCOPE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
