// The model file (.fsm, model/checkpoint/checkpoint.h) and a module's state in it, and a
// torch.save file read back (torch_checkpoint.h): bit-exact round trips; corrupt, truncated,
// wrong-version, wrong-domain and unwritable files fail with a message naming the file. Needs only
// LibTorch and fieldscope_checkpoint, so the sanitizer build runs it too (tests/sanitize.cmake).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstring>
#include <fstream>

#include "model/checkpoint/checkpoint.h"
#include "model/checkpoint/checkpoint_format.h"
#include "model/checkpoint/checkpoint_peek.h"
#include "model/checkpoint/module_state.h"
#include "model/checkpoint/torch_checkpoint.h"
#include "tests/geometry/test_files.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

// Expects loading `p` to throw a message that contains the file name and `what`.
void expectLoadError(const fs::path& p, const std::string& what, const std::string& domain = "image") {
  try {
    loadCheckpoint(p, domain);
    FAIL() << "loading " << p << " did not throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

// A checkpoint of every dtype the format stores, a non-contiguous tensor and a module's state.
Checkpoint sampleCheckpoint() {
  torch::manual_seed(3);
  Checkpoint c;
  c.config = {{"domain", "image"}, {"kind", "vae"}, {"preset", "tiny"}, {"sizes", {1, 2, 3}}};
  c.tensors["a.f32"] = torch::randn({4, 3, 2});
  c.tensors["b.f64"] = torch::randn({3, 5}, torch::kFloat64);
  c.tensors["c.u8"] = torch::randint(0, 255, {7}, torch::kInt64).to(torch::kUInt8);
  c.tensors["d.i64"] = torch::randint(-1000, 1000, {2, 2}, torch::kInt64);
  c.tensors["e.noncontiguous"] = torch::randn({4, 6}).t();
  c.tensors["f.scalar"] = torch::tensor(2.5f);
  return c;
}

bool sameBytes(const torch::Tensor& a, const torch::Tensor& b) {
  if (a.sizes() != b.sizes() || a.scalar_type() != b.scalar_type()) return false;
  const auto ac = a.contiguous(), bc = b.contiguous();
  return std::memcmp(ac.data_ptr(), bc.data_ptr(), size_t(ac.numel()) * ac.element_size()) == 0;
}

TEST(CheckpointFile, SaveLoadIsBitExactAndSavingAgainGivesTheSameBytes) {
  const fs::path dir = test::freshTempDir();
  const Checkpoint a = sampleCheckpoint();
  saveCheckpoint(dir / "a.fsm", a);
  const Checkpoint b = loadCheckpoint(dir / "a.fsm", "image");
  EXPECT_EQ(a.config, b.config);
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  for (const auto& [name, t] : a.tensors) EXPECT_TRUE(sameBytes(t, b.at(name))) << name;
  saveCheckpoint(dir / "b.fsm", b);
  EXPECT_EQ(test::readAll(dir / "a.fsm"), test::readAll(dir / "b.fsm"));
  EXPECT_EQ(checkpointDomain(dir / "a.fsm"), "image");
  EXPECT_EQ(peekCheckpointConfig(dir / "a.fsm"), a.config);
  try {
    b.at("no.such.tensor");
    FAIL() << "a missing tensor was returned";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no.such.tensor"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("a.fsm"), std::string::npos) << e.what();
  }
}

TEST(CheckpointFile, AModuleRestoredFromItComputesTheSame) {
  const fs::path dir = test::freshTempDir();
  torch::manual_seed(1);
  torch::nn::Sequential net(torch::nn::Linear(5, 8), torch::nn::BatchNorm1d(8), torch::nn::Linear(8, 2));
  net->train();
  net->forward(torch::randn({16, 5}));  // moves the batch norm's running statistics (buffers)
  net->eval();
  Checkpoint c;
  c.config = {{"domain", "image"}};
  storeModule(c, "net.", *net);
  saveCheckpoint(dir / "m.fsm", c);

  torch::manual_seed(2);
  torch::nn::Sequential other(torch::nn::Linear(5, 8), torch::nn::BatchNorm1d(8), torch::nn::Linear(8, 2));
  other->eval();
  const auto x = torch::randn({3, 5});
  torch::NoGradGuard noGrad;
  ASSERT_FALSE(torch::equal(net->forward(x), other->forward(x)));
  restoreModule(loadCheckpoint(dir / "m.fsm"), "net.", *other);
  EXPECT_TRUE(torch::equal(net->forward(x), other->forward(x)));

  // A module of another shape is refused naming the file and the tensor.
  torch::nn::Sequential wider(torch::nn::Linear(5, 9), torch::nn::BatchNorm1d(9), torch::nn::Linear(9, 2));
  try {
    restoreModule(loadCheckpoint(dir / "m.fsm"), "net.", *wider);
    FAIL() << "a module of another shape was restored";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("m.fsm"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("net.0.weight"), std::string::npos) << e.what();
  }
}

TEST(CheckpointFile, MissingEmptyForeignAndFolderAreNamed) {
  const fs::path dir = test::freshTempDir();
  expectLoadError(dir / "missing.fsm", "no such file");
  test::writeText(dir / "x.fsm", "hello, this is not a checkpoint at all");
  expectLoadError(dir / "x.fsm", "is not a Fieldscope model file");
  test::writeText(dir / "empty.fsm", "");
  expectLoadError(dir / "empty.fsm", "is empty (0 bytes)");
  test::writeText(dir / "picture.fsm", std::string("\x89PNG\r\n\x1a\n", 8) + "rest of a picture");
  expectLoadError(dir / "picture.fsm", "is a PNG picture, not a Fieldscope model file");
  fs::create_directories(dir / "folder.fsm");
  expectLoadError(dir / "folder.fsm", "is a folder, not a model file");
}

// A tensor whose shape claims more values than the file holds -- [2^31, 2^31] floats, with a byte
// count that wraps to 0 and a recomputed checksum -- is named as corrupt before anything is
// allocated (it was a raw c10 "storage size overflowed" with a C++ backtrace).
TEST(CheckpointFile, AShapeLargerThanTheFileIsCorruptNotACrash) {
  const fs::path dir = test::freshTempDir();
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
  test::writeText(dir / "huge.fsm", b);
  expectLoadError(dir / "huge.fsm", "tensor 'vae.weight' claims a shape larger than the whole file");
}

TEST(CheckpointFile, EveryTruncationIsNamed) {
  const fs::path dir = test::freshTempDir();
  saveCheckpoint(dir / "a.fsm", sampleCheckpoint());
  const std::string bytes = test::readAll(dir / "a.fsm");
  for (size_t keep = 1; keep < bytes.size(); keep += (keep < 64 ? 1 : 37)) {
    test::writeText(dir / "t.fsm", bytes.substr(0, keep));
    try {
      loadCheckpoint(dir / "t.fsm");
      FAIL() << "truncated to " << keep << " bytes loaded";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("t.fsm"), std::string::npos) << e.what();
    }
  }
}

TEST(CheckpointFile, ACorruptByteAnywhereIsNamed) {
  const fs::path dir = test::freshTempDir();
  saveCheckpoint(dir / "a.fsm", sampleCheckpoint());
  const std::string bytes = test::readAll(dir / "a.fsm");
  for (size_t at = 8; at < bytes.size(); at += 29) {
    std::string bad = bytes;
    bad[at] = char(bad[at] ^ 0x40);
    test::writeText(dir / "c.fsm", bad);
    try {
      loadCheckpoint(dir / "c.fsm");
      FAIL() << "a flipped byte at " << at << " loaded";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("c.fsm"), std::string::npos) << e.what();
    }
  }
  std::string bad = bytes;
  bad[bytes.size() / 2] = char(bad[bytes.size() / 2] ^ 0x40);  // inside tensor data
  test::writeText(dir / "c.fsm", bad);
  expectLoadError(dir / "c.fsm", "corrupt");
}

TEST(CheckpointFile, AnotherVersionOrDomainIsNamed) {
  const fs::path dir = test::freshTempDir();
  saveCheckpoint(dir / "a.fsm", sampleCheckpoint());
  std::string bytes = test::readAll(dir / "a.fsm");
  bytes[8] = 99;  // the version follows the 8-byte magic
  test::writeText(dir / "v.fsm", bytes);
  expectLoadError(dir / "v.fsm", "version 99");
  Checkpoint c = sampleCheckpoint();
  c.config["domain"] = "shape";
  saveCheckpoint(dir / "s.fsm", c);
  expectLoadError(dir / "s.fsm", "'shape' model, expected a 'image'");
}

TEST(CheckpointFile, AnUnwritablePathLeavesNothing) {
  const fs::path dir = test::freshTempDir();
  EXPECT_THROW(saveCheckpoint(dir / "no_such_dir" / "a.fsm", sampleCheckpoint()), std::runtime_error);
  EXPECT_FALSE(fs::exists(dir / "no_such_dir"));
  saveCheckpoint(dir / "a.fsm", sampleCheckpoint());
  EXPECT_EQ(test::sortedNamesIn(dir), std::vector<std::string>{"a.fsm"});  // no temporaries left
}

// LibTorch's own torch.save-format writer (pickle_save) makes the file: a dict of a state_dict
// and a number, as the authors' files hold.
TEST(CheckpointFile, ATorchSaveFileReadsBackItsTensors) {
  const fs::path dir = test::freshTempDir();
  torch::manual_seed(4);
  const auto w = torch::randn({3, 4}), bias = torch::randn({4}, torch::kFloat64);
  const auto view = torch::randn({5, 6}).narrow(1, 1, 3);  // a strided view into a larger storage
  c10::impl::GenericDict state(c10::StringType::get(), c10::TensorType::get());
  state.insert("layer.weight", w);
  state.insert("layer.bias", bias);
  state.insert("view", view);
  c10::impl::GenericDict top(c10::StringType::get(), c10::AnyType::get());
  top.insert("model", state);
  top.insert("epoch", int64_t(7));
  const std::vector<char> bytes = torch::pickle_save(top);
  test::writeText(dir / "ckpt.pt", std::string(bytes.begin(), bytes.end()));

  const TorchCheckpoint file = TorchCheckpoint::open(dir / "ckpt.pt");
  EXPECT_TRUE(file.hasEntry("model"));
  EXPECT_FALSE(file.hasEntry("optimizer"));
  const auto refs = file.stateDict("model");
  ASSERT_EQ(refs.size(), 3u);
  EXPECT_EQ(refs[0].first, "layer.weight");
  EXPECT_TRUE(sameBytes(file.load(refs[0].second), w));
  EXPECT_TRUE(sameBytes(file.load(refs[1].second), bias));
  EXPECT_TRUE(sameBytes(file.load(refs[2].second), view));
  try {
    file.stateDict("optimizer");
    FAIL() << "a missing entry was read";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("ckpt.pt"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("optimizer"), std::string::npos) << e.what();
  }
  // Cut short: refused naming the file, at open or at the first tensor read.
  test::writeText(dir / "cut.pt", std::string(bytes.begin(), bytes.begin() + long(bytes.size() / 2)));
  try {
    const TorchCheckpoint cut = TorchCheckpoint::open(dir / "cut.pt");
    for (const auto& [name, ref] : cut.stateDict("model")) cut.load(ref);
    FAIL() << "half a torch.save file was read";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cut.pt"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fieldscope
