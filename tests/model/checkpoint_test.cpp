// (e) checkpoint save/load is bit-exact; corrupt, truncated, wrong-version and wrong-domain files
// fail with a message naming the file.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <fstream>

#include "model/checkpoint/checkpoint.h"
#include "model/checkpoint/checkpoint_format.h"
#include "model/image/image_model.h"
#include "model/image/image_vae_io.h"
#include "tests/model/test_support.h"

namespace fieldscope {
namespace {

void writeAll(const std::filesystem::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary);
  out << s;
}

// Expects loading `p` to throw a message that contains the file name and `what`.
void expectLoadError(const std::filesystem::path& p, const std::string& what, const std::string& domain = "image") {
  try {
    loadCheckpoint(p, domain);
    FAIL() << "loading " << p << " did not throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

Checkpoint tinyVaeCheckpoint() {
  torch::manual_seed(3);
  ImageVae vae(ImageVaeConfig::preset_("tiny"));
  Checkpoint c;
  c.config = {{"domain", "image"}, {"kind", "vae"}, {"preset", "tiny"}};
  storeVae(c, vae);
  c.tensors["extra.f64"] = torch::randn({3, 5}, torch::kFloat64);
  c.tensors["extra.u8"] = torch::randint(0, 255, {7}, torch::kInt64).to(torch::kUInt8);
  c.tensors["extra.noncontiguous"] = torch::randn({4, 6}).t();
  return c;
}

TEST(Checkpoint, SaveLoadIsBitExact) {
  test::TempDir dir("ckpt");
  const Checkpoint a = tinyVaeCheckpoint();
  saveCheckpoint(dir.path / "a.fsm", a);
  const Checkpoint b = loadCheckpoint(dir.path / "a.fsm", "image");
  EXPECT_EQ(a.config, b.config);
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  for (const auto& [name, t] : a.tensors) {
    const auto& u = b.at(name);
    ASSERT_EQ(t.sizes(), u.sizes()) << name;
    ASSERT_EQ(t.scalar_type(), u.scalar_type()) << name;
    auto tc = t.contiguous();
    EXPECT_EQ(0, std::memcmp(tc.data_ptr(), u.data_ptr(), tc.numel() * tc.element_size())) << name;
  }
  // and saving what was loaded gives the same bytes
  saveCheckpoint(dir.path / "b.fsm", b);
  EXPECT_EQ(test::readAll(dir.path / "a.fsm"), test::readAll(dir.path / "b.fsm"));
  // a restored VAE computes exactly what the original computes
  ImageVae v1 = restoreVae(a), v2 = restoreVae(b);
  auto x = torch::rand({1, 3, 16, 16}) * 2 - 1;
  torch::NoGradGuard g;
  EXPECT_TRUE(torch::equal(v1->encode(x).mean, v2->encode(x).mean));
}

TEST(Checkpoint, MissingFile) { expectLoadError("/nonexistent/model.fsm", "no such file"); }

TEST(Checkpoint, NotACheckpoint) {
  test::TempDir dir("ckpt");
  writeAll(dir.path / "x.fsm", "hello, this is not a checkpoint at all");
  expectLoadError(dir.path / "x.fsm", "is not a Fieldscope model file");
  writeAll(dir.path / "empty.fsm", "");
  expectLoadError(dir.path / "empty.fsm", "is empty (0 bytes)");
  writeAll(dir.path / "picture.fsm", std::string("\x89PNG\r\n\x1a\n", 8) + "rest of a picture");
  expectLoadError(dir.path / "picture.fsm", "is a PNG picture, not a Fieldscope model file");
  std::filesystem::create_directories(dir.path / "folder.fsm");
  expectLoadError(dir.path / "folder.fsm", "is a folder, not a model file");
}

// A tensor whose shape claims more values than the file holds -- [2^31, 2^31] floats, with a byte
// count that wraps to 0 and a recomputed checksum -- is named as corrupt before anything is
// allocated (it was a raw c10 "storage size overflowed" with a C++ backtrace).
TEST(Checkpoint, AShapeLargerThanTheFileIsCorruptNotACrash) {
  test::TempDir dir("ckpt");
  std::string b(kCheckpointMagic, 8);
  auto put = [&b](auto v) { b.append(reinterpret_cast<const char*>(&v), sizeof v); };
  const std::string json = R"({"domain":"image","kind":"vae"})";
  put(kCheckpointFormatVersion);
  put(uint64_t(json.size()));
  b += json;
  put(uint32_t(1));
  const std::string name = "vae.weight";
  put(uint32_t(name.size()));
  b += name;
  put(uint8_t(1));  // float32
  put(uint32_t(2));
  put(int64_t(1) << 31);
  put(int64_t(1) << 31);
  put(uint64_t(0));  // 2^62 values * 4 bytes wraps to 0
  uint64_t h = 1469598103934665603ull;  // the format's FNV-1a (checkpoint.cpp)
  for (unsigned char c : b) h = (h ^ c) * 1099511628211ull;
  put(h);
  writeAll(dir.path / "huge.fsm", b);
  expectLoadError(dir.path / "huge.fsm", "tensor 'vae.weight' claims a shape larger than the whole file");
}

TEST(Checkpoint, Truncated) {
  test::TempDir dir("ckpt");
  saveCheckpoint(dir.path / "a.fsm", tinyVaeCheckpoint());
  const std::string bytes = test::readAll(dir.path / "a.fsm");
  for (size_t keep : {size_t(10), size_t(20), bytes.size() / 3, bytes.size() - 9, bytes.size() - 1}) {
    writeAll(dir.path / "t.fsm", bytes.substr(0, keep));
    try {
      loadCheckpoint(dir.path / "t.fsm");
      FAIL() << "truncated to " << keep << " bytes loaded";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("t.fsm"), std::string::npos) << e.what();
    }
  }
}

TEST(Checkpoint, CorruptByte) {
  test::TempDir dir("ckpt");
  saveCheckpoint(dir.path / "a.fsm", tinyVaeCheckpoint());
  std::string bytes = test::readAll(dir.path / "a.fsm");
  bytes[bytes.size() / 2] ^= 0x40;  // inside tensor data
  writeAll(dir.path / "c.fsm", bytes);
  expectLoadError(dir.path / "c.fsm", "corrupt");
}

TEST(Checkpoint, WrongVersion) {
  test::TempDir dir("ckpt");
  saveCheckpoint(dir.path / "a.fsm", tinyVaeCheckpoint());
  std::string bytes = test::readAll(dir.path / "a.fsm");
  bytes[8] = 99;  // the version follows the 8-byte magic
  writeAll(dir.path / "v.fsm", bytes);
  expectLoadError(dir.path / "v.fsm", "version 99");
}

TEST(Checkpoint, WrongDomain) {
  test::TempDir dir("ckpt");
  Checkpoint c = tinyVaeCheckpoint();
  c.config["domain"] = "shape";
  saveCheckpoint(dir.path / "s.fsm", c);
  expectLoadError(dir.path / "s.fsm", "'shape' model, expected a 'image'");
  try {
    ImageModel::load(dir.path / "s.fsm");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("s.fsm"), std::string::npos);
  }
}

TEST(Checkpoint, ConfigAndTensorsDisagree) {
  test::TempDir dir("ckpt");
  Checkpoint c = tinyVaeCheckpoint();
  c.config["vae"]["field_channels"] = 12;  // tensors were made for 8
  saveCheckpoint(dir.path / "m.fsm", c);
  try {
    ImageModel::load(dir.path / "m.fsm");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("m.fsm"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("shape"), std::string::npos) << e.what();
  }
  c = tinyVaeCheckpoint();
  c.tensors.erase("vae.readout.w0");
  saveCheckpoint(dir.path / "n.fsm", c);
  EXPECT_THROW(ImageModel::load(dir.path / "n.fsm"), std::runtime_error);
}

TEST(Checkpoint, UnwritableOutputLeavesNothing) {
  test::TempDir dir("ckpt");
  EXPECT_THROW(saveCheckpoint(dir.path / "no_such_dir" / "a.fsm", tinyVaeCheckpoint()), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(dir.path / "no_such_dir"));
}

}  // namespace
}  // namespace fieldscope
