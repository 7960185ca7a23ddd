// A model's checkpoint: a VAE restored from its file computes what the saved one computes; a file
// of another domain or whose config and tensors disagree is refused by ImageModel::load naming it.
// The file format itself (round trips, corrupt, truncated, wrong version, unwritable) is tested in
// tests/checkpoint/checkpoint_file_test.cpp.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/checkpoint/checkpoint.h"
#include "model/image/image_model.h"
#include "model/image/image_vae_io.h"
#include "tests/model/test_support.h"

namespace fieldscope {
namespace {

Checkpoint tinyVaeCheckpoint() {
  torch::manual_seed(3);
  ImageVae vae(ImageVaeConfig::preset_("tiny"));
  Checkpoint c;
  c.config = {{"domain", "image"}, {"kind", "vae"}, {"preset", "tiny"}};
  storeVae(c, vae);
  return c;
}

TEST(Checkpoint, ARestoredVaeComputesWhatTheSavedOneComputes) {
  test::TempDir dir("ckpt");
  const Checkpoint a = tinyVaeCheckpoint();
  saveCheckpoint(dir.path / "a.fsm", a);
  const Checkpoint b = loadCheckpoint(dir.path / "a.fsm", "image");
  ImageVae v1 = restoreVae(a), v2 = restoreVae(b);
  auto x = torch::rand({1, 3, 16, 16}) * 2 - 1;
  torch::NoGradGuard g;
  EXPECT_TRUE(torch::equal(v1->encode(x).mean, v2->encode(x).mean));
}

TEST(Checkpoint, AnotherDomainIsRefusedByTheImageModel) {
  test::TempDir dir("ckpt");
  Checkpoint c = tinyVaeCheckpoint();
  c.config["domain"] = "shape";
  saveCheckpoint(dir.path / "s.fsm", c);
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

}  // namespace
}  // namespace fieldscope
