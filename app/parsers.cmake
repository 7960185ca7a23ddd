# The viewer's parsers of what users hand it -- session.json (and its autosave), the startup plan,
# view placement and --view, --size / --blend -- are torch- and Vulkan-free: the fuzz targets
# (tests/fuzz/fuzz.cmake) and the sanitizer build's quick scope (tests/CMakeLists.txt) build them alone from this list.
set(FIELDSCOPE_APP_PARSER_SOURCES
  ${PROJECT_SOURCE_DIR}/app/gui/session.cpp ${PROJECT_SOURCE_DIR}/app/gui/session_file.cpp
  ${PROJECT_SOURCE_DIR}/app/gui/session_autosave.cpp ${PROJECT_SOURCE_DIR}/app/gui/startup_plan.cpp
  ${PROJECT_SOURCE_DIR}/app/views/view_placement.cpp ${PROJECT_SOURCE_DIR}/render/view2d.cpp
  ${PROJECT_SOURCE_DIR}/app/cli/size_flag.cpp ${PROJECT_SOURCE_DIR}/app/cli/blend_flag.cpp)
