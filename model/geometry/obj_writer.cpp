#include "model/geometry/obj_writer.h"

#include <charconv>
#include <stdexcept>
#include <string>

#include "model/geometry/file_sink.h"
#include "model/io/atomic_file.h"

namespace fieldscope {
namespace {

// Shortest text that reads back to the same float (std::to_chars round-trips exactly).
void appendFloat(std::string& line, float value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  line.push_back(' ');
  line.append(buffer, result.ptr);
}

void appendVec(std::string& line, const char* tag, const Vec3f& v) {
  line.append(tag);
  appendFloat(line, v.x);
  appendFloat(line, v.y);
  appendFloat(line, v.z);
}

}  // namespace

void writeObj(const std::filesystem::path& path, const Mesh& mesh) {
  try {
    checkMeshConsistent(mesh, quotedPath(path));
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(std::string("cannot write OBJ ") + e.what());
  }
  writeFileAtomically(path, [&](const std::filesystem::path& tmp) {
    FileSink out(tmp);
    std::string line = "# Fieldscope mesh: " + std::to_string(mesh.positions.size()) + " vertices, " +
                       std::to_string(mesh.triangles.size()) + " triangles\n";
    out.write(line);
    const bool colours = !mesh.colours.empty();
    for (std::size_t i = 0; i < mesh.positions.size(); ++i) {
      line.clear();
      appendVec(line, "v", mesh.positions[i]);
      if (colours) {
        appendFloat(line, mesh.colours[i].x);
        appendFloat(line, mesh.colours[i].y);
        appendFloat(line, mesh.colours[i].z);
      }
      line.push_back('\n');
      out.write(line);
    }
    for (const Vec3f& n : mesh.normals) {
      line.clear();
      appendVec(line, "vn", n);
      line.push_back('\n');
      out.write(line);
    }
    const bool normals = !mesh.normals.empty();
    for (const auto& t : mesh.triangles) {
      line.clear();
      line.push_back('f');
      for (std::uint32_t v : t) {
        const std::string index = std::to_string(std::uint64_t{v} + 1);
        line.push_back(' ');
        line += index;
        if (normals) {
          line += "//";
          line += index;
        }
      }
      line.push_back('\n');
      out.write(line);
    }
    out.close();
  });
}

}  // namespace fieldscope
