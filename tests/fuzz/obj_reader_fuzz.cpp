// A user's mesh (model/geometry/obj_reader.h): tinyobjloader's parse, then our validation and
// polygon triangulation.
#include <stdexcept>
#include <string_view>

#include "model/geometry/obj_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    (void)fieldscope::readObjText(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.obj");
  } catch (const std::runtime_error&) {
  }
  return 0;
}
