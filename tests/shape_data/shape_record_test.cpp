// The .shape file: a round trip keeps every value; the reader rejects damaged files with a
// message naming the file and the problem; the writer refuses bad records and leaves no file.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "model/geometry/file_sink.h"
#include "model/shape_data/shape_record.h"
#include "tests/shape_data/test_support.h"

namespace fieldscope {
namespace {

ShapeRecord smallRecord() {
  ShapeRecord r;
  for (int i = 0; i < 5; ++i) {
    r.surface.insert(r.surface.end(), {0.1f * i, -0.2f, 0.3f + 0.01f * i});
    const float a = 0.3f * i;
    r.normals.insert(r.normals.end(), {std::cos(a), std::sin(a), 0.f});
  }
  for (int i = 0; i < 7; ++i) {
    r.queries.insert(r.queries.end(), {0.05f * i, 0.5f, -0.55f});
    r.labels.push_back(static_cast<std::uint8_t>(i % 2));
  }
  return r;
}

// Writes `bytes` to a file and expects the reader to refuse it with `problem` and the file's name.
void expectRejected(const std::filesystem::path& path, const std::string& bytes, const std::string& problem) {
  test::writeText(path, bytes);
  try {
    readShapeRecord(path);
    FAIL() << "accepted a file with: " << problem;
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    EXPECT_NE(message.find(problem), std::string::npos) << message;
  }
}

TEST(ShapeRecord, RoundTripKeepsEveryValueAndTheDocumentedLayout) {
  const auto dir = test::freshTempDir();
  const ShapeRecord r = smallRecord();
  writeShapeRecord(dir / "a.shape", r);
  const std::string bytes = test::readAll(dir / "a.shape");
  ASSERT_EQ(bytes.size(), 20u + 24 * 5 + 13 * 7);
  EXPECT_EQ(bytes.substr(0, 8), "FSSHAPE1");
  std::uint32_t header[3];
  std::memcpy(header, bytes.data() + 8, 12);
  EXPECT_EQ(header[0], 1u);
  EXPECT_EQ(header[1], 5u);
  EXPECT_EQ(header[2], 7u);
  float firstQueryX = 0;
  std::memcpy(&firstQueryX, bytes.data() + 20 + 24 * 5, 4);
  EXPECT_EQ(firstQueryX, r.queries[0]);
  EXPECT_EQ(static_cast<std::uint8_t>(bytes.back()), r.labels.back());

  const ShapeRecord back = readShapeRecord(dir / "a.shape");
  EXPECT_EQ(back.surface, r.surface);
  EXPECT_EQ(back.normals, r.normals);
  EXPECT_EQ(back.queries, r.queries);
  EXPECT_EQ(back.labels, r.labels);
  EXPECT_EQ(test::entriesIn(dir), 1u);  // no temporary left beside it
}

TEST(ShapeRecord, ReaderRejectsDamagedFilesNamingThem) {
  const auto dir = test::freshTempDir();
  const std::string good = encodeShapeRecord(smallRecord());
  const auto path = dir / "bad.shape";
  expectRejected(path, good.substr(0, 10), "truncated");
  expectRejected(path, good.substr(0, good.size() - 1), "truncated");
  expectRejected(path, good + "x", "wrong size");
  expectRejected(path, "", "truncated");

  std::string magic = good;
  magic[2] = 'X';
  expectRejected(path, magic, "not a shape record");

  std::string version = good;
  version[8] = 2;
  expectRejected(path, version, "version 2");

  std::string counts = good;
  counts[12] = 6;  // says 6 surface points, holds 5
  expectRejected(path, counts, "6 surface and 7 query points need");
  std::string huge = good;
  std::memset(&huge[16], 0xff, 4);  // 4 billion query points: refused before any allocation
  expectRejected(path, huge, "truncated");

  std::string nan = good;
  const float value = std::numeric_limits<float>::quiet_NaN();
  std::memcpy(&nan[20 + 4], &value, 4);  // surface point 0, y
  expectRejected(path, nan, "surface point 0 has a non-finite coordinate");

  std::string inf = good;
  const float infinity = std::numeric_limits<float>::infinity();
  std::memcpy(&inf[20 + 24 * 5 + 12 * 3], &infinity, 4);  // query point 3, x
  expectRejected(path, inf, "query point 3 has a non-finite coordinate");

  std::string normal = good;
  const float two = 2.f;
  std::memcpy(&normal[20 + 12 * 5 + 12], &two, 4);  // normal 1, x
  expectRejected(path, normal, "normal 1 has length");

  std::string label = good;
  label[good.size() - 2] = 2;
  expectRejected(path, label, "label 5 is 2");

  EXPECT_THROW(readShapeRecord(dir / "missing.shape"), std::runtime_error);
}

TEST(ShapeRecord, WriterRefusesBadRecordsAndLeavesNoFile) {
  const auto dir = test::freshTempDir();
  ShapeRecord r = smallRecord();
  r.labels[0] = 3;
  EXPECT_THROW(writeShapeRecord(dir / "a.shape", r), std::runtime_error);
  r = smallRecord();
  r.normals.pop_back();
  EXPECT_THROW(writeShapeRecord(dir / "a.shape", r), std::runtime_error);
  r = smallRecord();
  r.queries[4] = std::numeric_limits<float>::infinity();
  EXPECT_THROW(writeShapeRecord(dir / "a.shape", r), std::runtime_error);
  EXPECT_THROW(writeShapeRecord(dir / "a.shape", ShapeRecord{}), std::runtime_error);
  EXPECT_THROW(writeShapeRecord(dir / "no-such-folder" / "a.shape", smallRecord()), std::runtime_error);
  EXPECT_EQ(test::entriesIn(dir), 0u);
}

// ENOSPC says "the disk is full" (a 1 MiB tmpfs cannot be mounted here without root, so this
// uses /dev/full, which fails every write with ENOSPC, through the same checked sink).
TEST(ShapeRecord, DiskFullIsSaidPlainly) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  try {
    FileSink sink("/dev/full");
    sink.write(std::string(4 << 20, 'x'));  // over the sink's buffer: flushed here
    sink.close();
    FAIL() << "writing to /dev/full succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("the disk is full"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fieldscope
