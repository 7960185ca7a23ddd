# The viewer library (included from app/CMakeLists.txt when FIELDSCOPE_GUI is on).
# Always: the headless viewer paths (pyramid, worker, field sources, `sample --renderer viewer`,
# selftest) and each domain's sources (app/domains/<d>/*.cpp). With a window: the app loop,
# panels, automation, the domain interface and views (app/domains/<d>/view/).
file(GLOB APP_GUI_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/gui/*.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/domains/*/*.cpp)
list(APPEND APP_GUI_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/views/view_placement.cpp)  # pure: session tests use it
if(FIELDSCOPE_WINDOW)
  file(GLOB_RECURSE APP_WINDOW_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/gui/*/*.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/panels/*.cpp ${CMAKE_CURRENT_SOURCE_DIR}/views/*.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/domain/*.cpp ${CMAKE_CURRENT_SOURCE_DIR}/domains/*/view/*.cpp)
  list(APPEND APP_GUI_SOURCES ${APP_WINDOW_SOURCES})
  list(REMOVE_DUPLICATES APP_GUI_SOURCES)
else()  # headless viewer paths only; `fieldscope` without a subcommand says there is no window
  list(REMOVE_ITEM APP_GUI_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/gui/gui_app.cpp)
  list(APPEND APP_GUI_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/no_window_entry.cpp)
endif()
add_library(fieldscope_app STATIC ${APP_GUI_SOURCES})
target_include_directories(fieldscope_app PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(fieldscope_app PUBLIC fieldscope_render fieldscope_interop fieldscope_cli_model fieldscope_model)
fieldscope_torch_target(fieldscope_app)
if(FIELDSCOPE_WINDOW)
  target_compile_definitions(fieldscope_app PUBLIC FIELDSCOPE_HAS_WINDOW=1)
endif()

