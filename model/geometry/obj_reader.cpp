#include "model/geometry/obj_reader.h"

#include <tiny_obj_loader.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "model/geometry/obj_validation.h"
#include "model/geometry/polygon_triangulation.h"

namespace fieldscope {
namespace {

// Materials are not used, so none is read: a missing or unreadable .mtl cannot fail a load, and
// reading a user's OBJ never opens any other file.
class NoMaterials : public tinyobj::MaterialReader {
 public:
  bool operator()(const std::string&, std::vector<tinyobj::material_t>*, std::map<std::string, int>*,
                  std::string*, std::string*) override {
    return true;
  }
};

[[noreturn]] void fail(const std::string& name, const std::string& why) {
  throw std::runtime_error("cannot read OBJ '" + name + "': " + why);
}

std::string firstLine(const std::string& s) {
  std::string line = s.substr(0, s.find('\n'));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '.')) line.pop_back();
  return line;
}

bool usableColours(const tinyobj::attrib_t& attrib) {
  if (attrib.colors.size() != attrib.vertices.size()) return false;
  return std::all_of(attrib.colors.begin(), attrib.colors.end(), [](float c) { return std::isfinite(c); });
}

void normaliseToUnitCube(Mesh& mesh, const std::string& name) {
  Vec3d lo{std::numeric_limits<double>::max(), std::numeric_limits<double>::max(), std::numeric_limits<double>::max()};
  Vec3d hi = -1.0 * lo;
  for (const Vec3f& p : mesh.positions) {
    lo = {std::min(lo.x, double(p.x)), std::min(lo.y, double(p.y)), std::min(lo.z, double(p.z))};
    hi = {std::max(hi.x, double(p.x)), std::max(hi.y, double(p.y)), std::max(hi.z, double(p.z))};
  }
  const double extent = std::max({hi.x - lo.x, hi.y - lo.y, hi.z - lo.z});
  if (!(extent > 0)) fail(name, "all vertices are at one point: the mesh cannot be scaled to the unit cube");
  const Vec3d centre = 0.5 * (lo + hi);
  for (Vec3f& p : mesh.positions) p = toFloat((1.0 / extent) * (toDouble(p) - centre));
}

}  // namespace

ObjReadResult readObjText(std::string_view text, const std::string& name, const ObjReadOptions& options) {
  ObjScan scan;
  try {
    scan = scanObjText(text, options.maxAbsCoordinate);
  } catch (const std::runtime_error& e) {
    fail(name, e.what());
  }
  if (scan.vertices == 0 && scan.faces == 0) fail(name, "the file is empty (no vertices, no faces)");
  if (scan.faces == 0)
    fail(name, "no faces (" + std::to_string(scan.vertices) + " vertices but nothing joins them into a surface)");

  tinyobj::attrib_t attrib;
  std::vector<tinyobj::shape_t> shapes;
  std::vector<tinyobj::material_t> materials;
  std::string warn, err;
  NoMaterials noMaterials;
  std::istringstream stream{std::string(text)};
  // triangulate = false: this file triangulates, after checking the indices (tinyobjloader's own
  // triangulation reads positions through unchecked indices). No default colours: a vertex
  // colour is kept only when every vertex has one.
  const bool ok = tinyobj::LoadObj(&attrib, &shapes, &materials, &warn, &err, &stream, &noMaterials,
                                   /*triangulate=*/false, /*default_vcols_fallback=*/false);
  if (!ok) fail(name, err.empty() ? "tinyobjloader could not parse it" : firstLine(err));

  ObjReadResult result;
  result.warnings = std::move(scan.warnings);
  Mesh& mesh = result.mesh;
  const std::size_t vertexCount = attrib.vertices.size() / 3;
  mesh.positions.resize(vertexCount);
  for (std::size_t i = 0; i < vertexCount; ++i) {
    const Vec3f p{attrib.vertices[3 * i], attrib.vertices[3 * i + 1], attrib.vertices[3 * i + 2]};
    // The scan checked the text; this guards against tinyobjloader reading a number differently.
    for (float c : {p.x, p.y, p.z})
      if (!std::isfinite(c) || std::abs(c) > options.maxAbsCoordinate)
        fail(name, "vertex " + std::to_string(i + 1) + " has an unusable coordinate");
    mesh.positions[i] = p;
  }
  if (usableColours(attrib)) {
    mesh.colours.resize(vertexCount);
    for (std::size_t i = 0; i < vertexCount; ++i)
      mesh.colours[i] = {std::clamp(attrib.colors[3 * i], 0.0f, 1.0f), std::clamp(attrib.colors[3 * i + 1], 0.0f, 1.0f),
                         std::clamp(attrib.colors[3 * i + 2], 0.0f, 1.0f)};
  }

  std::size_t degenerate = 0;
  std::vector<std::uint32_t> loop;
  for (const tinyobj::shape_t& shape : shapes) {
    std::size_t offset = 0;
    for (const unsigned faceSize : shape.mesh.num_face_vertices) {
      if (offset + faceSize > shape.mesh.indices.size()) fail(name, "tinyobjloader returned an inconsistent face list");
      loop.clear();
      for (std::size_t k = 0; k < faceSize; ++k) {
        const int index = shape.mesh.indices[offset + k].vertex_index;
        if (index < 0 || static_cast<std::size_t>(index) >= vertexCount)
          fail(name, "a face uses vertex index " + std::to_string(index + 1) + " of " + std::to_string(vertexCount));
        loop.push_back(static_cast<std::uint32_t>(index));
      }
      offset += faceSize;
      const std::size_t before = mesh.triangles.size();
      triangulatePolygon(loop, mesh.positions, mesh.triangles);
      // A triangle that repeats a vertex has no area and would break manifold checks: drop it.
      const auto end = std::remove_if(mesh.triangles.begin() + static_cast<std::ptrdiff_t>(before), mesh.triangles.end(),
                                      [](const auto& t) { return t[0] == t[1] || t[1] == t[2] || t[2] == t[0]; });
      degenerate += static_cast<std::size_t>(mesh.triangles.end() - end);
      mesh.triangles.erase(end, mesh.triangles.end());
    }
  }
  if (degenerate > 0)
    result.warnings.push_back(std::to_string(degenerate) + " triangles that repeat a vertex were dropped");
  if (mesh.triangles.empty()) fail(name, "no usable faces (every face repeats a vertex)");
  if (options.normaliseToUnitCube) normaliseToUnitCube(mesh, name);
  return result;
}

ObjReadResult readObj(const std::filesystem::path& path, const ObjReadOptions& options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail(path.string(), "it is a folder");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path.string(), std::strerror(errno));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) fail(path.string(), "read error");
  return readObjText(text, path.string(), options);
}

}  // namespace fieldscope
