#include "model/shape_data/shape_record.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "model/geometry/file_sink.h"
#include "model/geometry/mesh.h"
#include "model/io/atomic_file.h"

namespace fieldscope {
namespace {

// The format is little-endian; encoding copies the in-memory floats and integers as they are.
static_assert(std::endian::native == std::endian::little, "shape records are written on little-endian hosts only");
static_assert(sizeof(float) == 4);

constexpr double kNormalTolerance = 1e-3;

std::uint64_t expectedBytes(std::uint64_t nSurface, std::uint64_t nQuery) {
  return kShapeRecordHeaderBytes + 24 * nSurface + 13 * nQuery;
}

std::uint32_t readU32(std::string_view bytes, std::size_t offset) {
  std::uint32_t v = 0;
  std::memcpy(&v, bytes.data() + offset, 4);
  return v;
}

void appendU32(std::string& out, std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }

void checkHeader(std::string_view bytes, const std::string& name, std::uint64_t fileBytes, std::uint32_t& nSurface,
                 std::uint32_t& nQuery) {
  if (fileBytes < kShapeRecordHeaderBytes)
    throw std::runtime_error(name + ": truncated: " + std::to_string(fileBytes) + " bytes, the header alone is " +
                             std::to_string(kShapeRecordHeaderBytes));
  if (std::memcmp(bytes.data(), kShapeRecordMagic, 8) != 0)
    throw std::runtime_error(name + ": not a shape record (the file does not start with FSSHAPE1)");
  const std::uint32_t version = readU32(bytes, 8);
  if (version != kShapeRecordVersion)
    throw std::runtime_error(name + ": shape record version " + std::to_string(version) + ", this build reads version " +
                             std::to_string(kShapeRecordVersion));
  nSurface = readU32(bytes, 12);
  nQuery = readU32(bytes, 16);
  const std::uint64_t expected = expectedBytes(nSurface, nQuery);
  if (fileBytes != expected)
    throw std::runtime_error(name + ": " + (fileBytes < expected ? "truncated" : "wrong size") + ": " +
                             std::to_string(fileBytes) + " bytes, but " + std::to_string(nSurface) + " surface and " +
                             std::to_string(nQuery) + " query points need " + std::to_string(expected));
}

std::vector<float> floatsAt(std::string_view bytes, std::size_t offset, std::size_t count) {
  std::vector<float> v(count);
  std::memcpy(v.data(), bytes.data() + offset, count * 4);
  return v;
}

}  // namespace

void checkShapeRecord(const ShapeRecord& r, const std::string& what) {
  const auto fail = [&](const std::string& problem) { throw std::invalid_argument(what + ": " + problem); };
  if (r.surface.size() % 3 != 0 || r.queries.size() % 3 != 0) fail("coordinates are not x, y, z triples");
  if (r.normals.size() != r.surface.size()) fail("not one normal per surface point");
  if (r.queries.size() != 3 * r.labels.size()) fail("not one label per query point");
  if (r.surface.empty()) fail("no surface points");
  if (r.labels.empty()) fail("no query points");
  if (r.surfaceCount() > 0xffffffffu || r.queryCount() > 0xffffffffu) fail("more than 2^32 points");
  for (std::size_t i = 0; i < r.surface.size(); ++i)
    if (!std::isfinite(r.surface[i])) fail("surface point " + std::to_string(i / 3) + " has a non-finite coordinate");
  for (std::size_t i = 0; i < r.queries.size(); ++i)
    if (!std::isfinite(r.queries[i])) fail("query point " + std::to_string(i / 3) + " has a non-finite coordinate");
  for (std::size_t i = 0; i < r.surfaceCount(); ++i) {
    const double x = r.normals[3 * i], y = r.normals[3 * i + 1], z = r.normals[3 * i + 2];
    const double len = std::sqrt(x * x + y * y + z * z);
    if (!(std::abs(len - 1) <= kNormalTolerance))
      fail("normal " + std::to_string(i) + " has length " + std::to_string(len) + " (must be 1)");
  }
  for (std::size_t i = 0; i < r.labels.size(); ++i)
    if (r.labels[i] > 1) fail("label " + std::to_string(i) + " is " + std::to_string(r.labels[i]) + " (must be 0 or 1)");
}

std::string encodeShapeRecord(const ShapeRecord& r) {
  checkShapeRecord(r, "shape record");
  std::string out;
  out.reserve(expectedBytes(r.surfaceCount(), r.queryCount()));
  out.append(kShapeRecordMagic, 8);
  appendU32(out, kShapeRecordVersion);
  appendU32(out, static_cast<std::uint32_t>(r.surfaceCount()));
  appendU32(out, static_cast<std::uint32_t>(r.queryCount()));
  for (const std::vector<float>* v : {&r.surface, &r.normals, &r.queries})
    out.append(reinterpret_cast<const char*>(v->data()), v->size() * 4);
  out.append(reinterpret_cast<const char*>(r.labels.data()), r.labels.size());
  return out;
}

ShapeRecord decodeShapeRecord(std::string_view bytes, const std::string& name) {
  std::uint32_t nSurface = 0, nQuery = 0;
  checkHeader(bytes, name, bytes.size(), nSurface, nQuery);
  ShapeRecord r;
  std::size_t offset = kShapeRecordHeaderBytes;
  r.surface = floatsAt(bytes, offset, 3 * std::size_t{nSurface});
  offset += 12 * std::size_t{nSurface};
  r.normals = floatsAt(bytes, offset, 3 * std::size_t{nSurface});
  offset += 12 * std::size_t{nSurface};
  r.queries = floatsAt(bytes, offset, 3 * std::size_t{nQuery});
  offset += 12 * std::size_t{nQuery};
  r.labels.assign(reinterpret_cast<const std::uint8_t*>(bytes.data() + offset),
                  reinterpret_cast<const std::uint8_t*>(bytes.data() + offset + nQuery));
  try {
    checkShapeRecord(r, name);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(e.what());
  }
  return r;
}

void writeShapeRecord(const std::filesystem::path& path, const ShapeRecord& record) {
  try {
    checkShapeRecord(record, quotedPath(path));
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(std::string("cannot write shape record ") + e.what());
  }
  const std::string bytes = encodeShapeRecord(record);
  writeFileAtomically(path, [&](const std::filesystem::path& tmp) {
    FileSink out(tmp);  // checks every write and the close; says "the disk is full" on ENOSPC
    out.write(bytes);
    out.close();
  });
}

ShapeRecord readShapeRecord(const std::filesystem::path& path) {
  const std::string name = quotedPath(path);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw std::runtime_error(name + ": no such shape record file");
  const std::uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) throw std::runtime_error(name + ": cannot read: " + ec.message());
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(name + ": cannot open: " + std::strerror(errno));
  // The header first: the counts are checked against the file's size before the body is read.
  std::string bytes(static_cast<std::size_t>(std::min<std::uint64_t>(size, kShapeRecordHeaderBytes)), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) throw std::runtime_error(name + ": read failed");
  std::uint32_t nSurface = 0, nQuery = 0;
  checkHeader(bytes, name, size, nSurface, nQuery);
  bytes.resize(static_cast<std::size_t>(size));
  in.read(bytes.data() + kShapeRecordHeaderBytes, static_cast<std::streamsize>(size - kShapeRecordHeaderBytes));
  if (!in) throw std::runtime_error(name + ": read failed (the file changed while being read?)");
  return decodeShapeRecord(bytes, name);
}

}  // namespace fieldscope
