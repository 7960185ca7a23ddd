#pragma once
// The mesh output flags of `sample` shared by the 3D domains (shape, NeRF; docs/architecture.md
// "Commands"): the file's extension and `--grid N`.
#include <filesystem>
#include <string>

namespace fieldscope {

// `.obj` or `.ply`; throws std::runtime_error naming the file for anything else.
void checkMeshExtension(const std::filesystem::path& out);
// Resolution 8..1024 ("--grid N"; the default when empty).
int parseMeshResolution(const std::string& text, int fallback);

}  // namespace fieldscope
