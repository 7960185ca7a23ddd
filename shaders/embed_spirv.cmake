# Wraps glslc's -mfmt=num output (comma-separated words) into a C++ header.
file(READ ${IN} words)
string(SUBSTRING ${NAME} 0 1 first)
string(TOUPPER ${first} first)
string(SUBSTRING ${NAME} 1 -1 rest)
file(WRITE ${OUT} "#pragma once\n#include <cstdint>\n// Generated from shaders/${NAME}.* by glslc; do not edit.\ninline constexpr uint32_t k${first}${rest}Spv[] = {\n${words}};\n")
