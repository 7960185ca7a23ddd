#pragma once
// Wavefront OBJ export: `v x y z [r g b]`, `vn nx ny nz`, `f a//a b//b c//c` (1-based; `f a b c`
// without normals). Written atomically (temporary + rename): a failed write leaves no file and
// never destroys an existing one; errors are std::runtime_error naming the file.
#include <filesystem>

#include "model/geometry/mesh.h"

namespace fieldscope {

void writeObj(const std::filesystem::path& path, const Mesh& mesh);

}  // namespace fieldscope
