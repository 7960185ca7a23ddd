// Feeds 1000 deterministically mutated OBJ files to the reader: each must either read into a
// consistent mesh or fail with std::runtime_error; anything else (a crash, another exception,
// an index out of range, a NaN) fails the test. Run under ASan/UBSan to catch memory errors too.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "model/geometry/obj_reader.h"
#include "tests/geometry/test_files.h"

namespace fieldscope {
namespace {

const char* const kSeeds[] = {
    "# cube of quads\nv 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nv 0 0 1\nv 1 0 1\nv 1 1 1\nv 0 1 1\n"
    "vn 0 0 1\nvt 0 0\nf 1/1/1 4/1/1 3/1/1 2/1/1\nf 5 6 7 8\nf 1 2 6 5\nf 2 3 7 6\nf 3 4 8 7\nf 4 1 5 8\n",
    "mtllib a.mtl\no tet\nv 0 0 0 1 0 0\nv 1 0 0 0 1 0\nv 0 1 0 0 0 1\nv 0 0 1 1 1 1\nusemtl red\n"
    "f -4 -2 -3\nf -4 -3 -1\ng side\nf 1//1 4//1 3//1\nf 2 3 4\n",
    "v 0 0 0\nv 2 0 0\nv 2 1 0\nv 1 1 0\nv 1 2 0\nv 0 2 0\nf 4 5 6 1 2 3\nl 1 2\np 3\n",
};

std::string mutate(std::string text, std::mt19937& rng) {
  static const char* const kGarbage[] = {"f",    "v",     " ",      "\n",       "/",    "//",         "-",
                                         "nan",  "inf",   "1e999",  "-1e38",    "0",    "99999999999", "\r",
                                         "\0",   "\t",    "f 1 2",  "v 1 2 3\n", "#",   "usemtl x\n",  "-2147483648",
                                         "2147483647", "1/2/3/4", "vn", "vt 0 0\n", "o\n", "g\n"};
  std::uniform_int_distribution<int> op(0, 6);
  const int edits = std::uniform_int_distribution<int>(1, 8)(rng);
  for (int e = 0; e < edits; ++e) {
    const std::size_t n = text.size();
    auto at = [&] { return n == 0 ? std::size_t{0} : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
    switch (op(rng)) {
      case 0:  // flip a byte
        if (n) text[at()] ^= static_cast<char>(1 << std::uniform_int_distribution<int>(0, 7)(rng));
        break;
      case 1:  // truncate
        text.resize(at());
        break;
      case 2: {  // insert garbage tokens
        const std::string g = kGarbage[std::uniform_int_distribution<std::size_t>(0, std::size(kGarbage) - 1)(rng)];
        text.insert(at(), g == "" ? std::string(1, '\0') : g);
        break;
      }
      case 3:  // a huge or odd number in place of a digit
        for (std::size_t i = at(); i < n; ++i)
          if (text[i] >= '0' && text[i] <= '9') {
            text.replace(i, 1, std::uniform_int_distribution<int>(0, 1)(rng) ? "123456789012345678901234567890" : "-7");
            break;
          }
        break;
      case 4:  // random bytes
        for (int k = 0; k < 4; ++k) text.insert(at(), 1, static_cast<char>(rng()));
        break;
      case 5: {  // duplicate a chunk (more faces than vertices, repeated lines)
        const std::size_t from = at(), len = std::min<std::size_t>(n - std::min(from, n), 40);
        text.insert(at(), text.substr(from, len));
        break;
      }
      default:  // delete a chunk
        if (n) text.erase(at(), std::uniform_int_distribution<std::size_t>(1, 20)(rng));
        break;
    }
  }
  return text;
}

TEST(ObjReaderFuzz, ThousandMutatedFilesNeverCrashOrYieldABrokenMesh) {
  std::mt19937 rng(20240611);  // fixed: a failure reproduces
  int read = 0, rejected = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::string text = mutate(kSeeds[i % std::size(kSeeds)], rng);
    try {
      const ObjReadResult r = readObjText(text, "fuzz.obj");
      ++read;
      ASSERT_NO_THROW(checkMeshConsistent(r.mesh, "fuzz case " + std::to_string(i))) << text;
      ASSERT_FALSE(r.mesh.triangles.empty());
      for (const auto& t : r.mesh.triangles) ASSERT_TRUE(t[0] != t[1] && t[1] != t[2] && t[0] != t[2]);
    } catch (const std::runtime_error& e) {
      ++rejected;
      ASSERT_NE(std::string(e.what()).find("fuzz.obj"), std::string::npos) << e.what();
    }
  }
  // Both outcomes must occur, or the mutations are too weak (or too strong) to test anything.
  EXPECT_GT(read, 50);
  EXPECT_GT(rejected, 50);
}

TEST(ObjReaderFuzz, MutatedFilesOnDiskToo) {
  const auto dir = test::freshTempDir();
  std::mt19937 rng(7);
  for (int i = 0; i < 20; ++i) {
    const auto path = dir / ("case" + std::to_string(i) + ".obj");
    test::writeText(path, mutate(kSeeds[i % std::size(kSeeds)], rng));
    try {
      readObj(path);
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace fieldscope
