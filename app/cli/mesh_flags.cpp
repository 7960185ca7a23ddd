#include "app/cli/mesh_flags.h"

#include <stdexcept>
#include <string>

#include "app/cli/output_name.h"

namespace fieldscope {

void checkMeshExtension(const std::filesystem::path& out) {
  if (out.empty()) throw std::runtime_error("-o is empty: give the mesh a file name ending in .obj or .ply (a view .png)");
  const std::string ext = lowerExtension(out);
  if (ext != ".obj" && ext != ".ply")
    throw std::runtime_error("cannot write '" + out.string() + "': a mesh is written as .obj or .ply (a view as .png)");
}

int parseMeshResolution(const std::string& text, int fallback) {
  if (text.empty()) return fallback;
  size_t used = 0;
  long v = 0;
  try {
    v = std::stol(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || v < 8 || v > 1024)
    throw std::runtime_error("--grid '" + text + "': the grid resolution is a whole number from 8 to 1024");
  return static_cast<int>(v);
}

}  // namespace fieldscope
