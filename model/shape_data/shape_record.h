#pragma once
// One shape's training samples, as the shape model's trainer reads them (issue 12, item 2).
//
// File NAME.shape, little-endian, no padding:
//   offset 0   8 bytes   magic "FSSHAPE1"
//   offset 8   uint32    version (1)
//   offset 12  uint32    nSurface
//   offset 16  uint32    nQuery
//   offset 20  float32   surface points  [nSurface * 3]  x, y, z
//              float32   unit outward normals [nSurface * 3]
//              float32   query points    [nQuery * 3]
//              uint8     labels          [nQuery]  1 inside, 0 outside
// Size: 20 + 24 * nSurface + 13 * nQuery bytes exactly. Coordinates are in the normalised frame
// (the mesh's box centred, longest side 1; queries within [-0.55, 0.55]^3 or near the surface).
// Queries are stored shuffled, so any prefix is a fair mix of uniform and near-surface points.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace fieldscope {

inline constexpr char kShapeRecordMagic[8] = {'F', 'S', 'S', 'H', 'A', 'P', 'E', '1'};
inline constexpr std::uint32_t kShapeRecordVersion = 1;
inline constexpr std::size_t kShapeRecordHeaderBytes = 20;

struct ShapeRecord {
  std::vector<float> surface;         // nSurface * 3
  std::vector<float> normals;         // nSurface * 3, unit length, pointing out of the solid
  std::vector<float> queries;         // nQuery * 3
  std::vector<std::uint8_t> labels;   // nQuery: 1 inside, 0 outside

  std::size_t surfaceCount() const { return surface.size() / 3; }
  std::size_t queryCount() const { return labels.size(); }
};

// Throws std::invalid_argument naming `what` when the record breaks the format's rules
// (sizes, finite values, unit normals, labels 0/1). The reader and the writer both apply it.
void checkShapeRecord(const ShapeRecord& record, const std::string& what);

// The file's bytes (for tests and for the writer).
std::string encodeShapeRecord(const ShapeRecord& record);
// Parses and validates; std::runtime_error naming `name` and the problem.
ShapeRecord decodeShapeRecord(std::string_view bytes, const std::string& name);

// Atomic (temporary + rename, model/io/atomic_file.h); every write checked, "the disk is full" on
// ENOSPC. std::runtime_error naming the file.
void writeShapeRecord(const std::filesystem::path& path, const ShapeRecord& record);
// std::runtime_error naming the file and the problem (missing, truncated, wrong magic, version or
// counts, NaN/Inf, a normal that is not unit length, a label other than 0/1).
ShapeRecord readShapeRecord(const std::filesystem::path& path);

}  // namespace fieldscope
