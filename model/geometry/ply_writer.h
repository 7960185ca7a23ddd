#pragma once
// PLY export, binary little-endian: vertex {float x y z [nx ny nz] [uchar red green blue]},
// face {list uchar int vertex_indices}. Compact and read by Blender, MeshLab and Open3D.
// Written atomically like the OBJ writer; errors are std::runtime_error naming the file.
#include <filesystem>

#include "model/geometry/mesh.h"

namespace fieldscope {

void writePly(const std::filesystem::path& path, const Mesh& mesh);

}  // namespace fieldscope
