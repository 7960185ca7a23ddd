#include "model/geometry/ply_writer.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "model/geometry/file_sink.h"
#include "model/io/atomic_file.h"

namespace fieldscope {
namespace {

// Appends the value's bytes in little-endian order whatever the host's order is.
template <typename T>
void appendLittleEndian(std::string& out, T value) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  if constexpr (std::endian::native == std::endian::big) std::reverse(bytes, bytes + sizeof(T));
  out.append(reinterpret_cast<const char*>(bytes), sizeof(T));
}

std::uint8_t colourByte(float c) {
  const float clamped = std::isfinite(c) ? std::clamp(c, 0.0f, 1.0f) : 0.0f;
  return static_cast<std::uint8_t>(std::lround(clamped * 255.0f));
}

std::string header(const Mesh& mesh) {
  std::string h = "ply\nformat binary_little_endian 1.0\ncomment Fieldscope mesh\n";
  h += "element vertex " + std::to_string(mesh.positions.size()) + "\n";
  h += "property float x\nproperty float y\nproperty float z\n";
  if (!mesh.normals.empty()) h += "property float nx\nproperty float ny\nproperty float nz\n";
  if (!mesh.colours.empty()) h += "property uchar red\nproperty uchar green\nproperty uchar blue\n";
  h += "element face " + std::to_string(mesh.triangles.size()) + "\n";
  h += "property list uchar int vertex_indices\nend_header\n";
  return h;
}

}  // namespace

void writePly(const std::filesystem::path& path, const Mesh& mesh) {
  try {
    checkMeshConsistent(mesh, quotedPath(path));
    if (mesh.positions.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
      throw std::invalid_argument(quotedPath(path) + ": too many vertices for PLY's int indices");
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(std::string("cannot write PLY ") + e.what());
  }
  writeFileAtomically(path, [&](const std::filesystem::path& tmp) {
    FileSink out(tmp);
    out.write(header(mesh));
    std::string record;
    for (std::size_t i = 0; i < mesh.positions.size(); ++i) {
      record.clear();
      const Vec3f& p = mesh.positions[i];
      for (float c : {p.x, p.y, p.z}) appendLittleEndian(record, c);
      if (!mesh.normals.empty())
        for (float c : {mesh.normals[i].x, mesh.normals[i].y, mesh.normals[i].z}) appendLittleEndian(record, c);
      if (!mesh.colours.empty())
        for (float c : {mesh.colours[i].x, mesh.colours[i].y, mesh.colours[i].z})
          appendLittleEndian(record, colourByte(c));
      out.write(record);
    }
    for (const auto& t : mesh.triangles) {
      record.clear();
      appendLittleEndian(record, std::uint8_t{3});
      for (std::uint32_t v : t) appendLittleEndian(record, static_cast<std::int32_t>(v));
      out.write(record);
    }
    out.close();
  });
}

}  // namespace fieldscope
