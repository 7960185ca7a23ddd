// Averaging model files (model/checkpoint/checkpoint_average.h): the weighted mean of the
// floating-point tensors, exact on values a user can check by hand; the record of the sources; and
// every disagreement between the files (structure, classes, a tensor's shape or integer contents, a
// weight) refused with the file and the entry named.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/checkpoint/checkpoint.h"
#include "model/checkpoint/checkpoint_average.h"
#include "model/io/sha256.h"
#include "tests/geometry/test_files.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

Checkpoint modelFile(float value, const std::string& seedRecord) {
  Checkpoint c;
  c.config = {{"domain", "image"},
              {"kind", "vae+ldm"},
              {"ldm", {{"classes", {"a", "b"}}, {"latent_scale", 0.7135304591968924}}},
              {"metrics", {{"psnr", 27.5}}},
              {"training_ldm", {{"command", "train --seed " + seedRecord}}}};
  c.tensors["unet.w"] = torch::full({2, 3}, value);
  c.tensors["unet.h"] = torch::full({4}, value, torch::kFloat16);
  c.tensors["classes.ids"] = torch::arange(5, torch::kInt64);
  return c;
}

void expectRefused(const std::vector<AverageSource>& sources, const std::vector<std::string>& mentions) {
  try {
    averageCheckpoints(sources);
    ADD_FAILURE() << "averaging did not fail";
  } catch (const std::runtime_error& e) {
    for (const auto& m : mentions) EXPECT_NE(std::string(e.what()).find(m), std::string::npos) << e.what();
  }
}

TEST(CheckpointAverage, TheWeightedMeanOfTheFloatTensorsAndARecordOfEachSource) {
  const fs::path dir = test::freshTempDir();
  saveCheckpoint(dir / "a.fsm", modelFile(1.f, "1"));
  saveCheckpoint(dir / "b.fsm", modelFile(5.f, "2"));
  const Checkpoint avg = averageCheckpoints({{dir / "a.fsm", 1.0}, {dir / "b.fsm", 3.0}});
  // 1 * 1/4 + 5 * 3/4 = 4, in float32 and in float16
  EXPECT_TRUE(torch::equal(avg.at("unet.w"), torch::full({2, 3}, 4.f)));
  EXPECT_EQ(avg.at("unet.h").scalar_type(), torch::kFloat16);
  EXPECT_TRUE(torch::equal(avg.at("unet.h"), torch::full({4}, 4.f, torch::kFloat16)));
  EXPECT_TRUE(torch::equal(avg.at("classes.ids"), torch::arange(5, torch::kInt64)));
  // The model's entries are the first file's; the equal metrics stay; each source is recorded.
  EXPECT_EQ(avg.config["ldm"], modelFile(0, "").config["ldm"]);
  EXPECT_EQ(avg.config["metrics"]["psnr"], 27.5);
  const auto& sources = avg.config["averaged"]["sources"];
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[0]["file"], (dir / "a.fsm").string());
  EXPECT_DOUBLE_EQ(sources[0]["weight"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(sources[1]["weight"].get<double>(), 0.75);
  EXPECT_EQ(sources[1]["sha256"], sha256File(dir / "b.fsm"));
  EXPECT_EQ(sources[1]["training_ldm"]["command"], "train --seed 2");
  // It is a model file like any other.
  saveCheckpoint(dir / "avg.fsm", avg);
  EXPECT_TRUE(torch::equal(loadCheckpoint(dir / "avg.fsm", "image").at("unet.w"), avg.at("unet.w")));

  // Measurements that differ between the sources describe none of them: they are dropped.
  Checkpoint c = modelFile(3.f, "3");
  c.config["metrics"]["psnr"] = 30.0;
  saveCheckpoint(dir / "c.fsm", c);
  EXPECT_FALSE(averageCheckpoints({{dir / "a.fsm", 1.0}, {dir / "c.fsm", 1.0}}).config.contains("metrics"));
}

TEST(CheckpointAverage, FilesThatAreNotTheSameModelAreRefusedNamingFileAndEntry) {
  const fs::path dir = test::freshTempDir();
  saveCheckpoint(dir / "a.fsm", modelFile(1.f, "1"));
  auto variant = [&](const std::string& name, auto change) {
    Checkpoint c = modelFile(2.f, "2");
    change(c);
    saveCheckpoint(dir / name, c);
    return dir / name;
  };
  const fs::path a = dir / "a.fsm";
  expectRefused({{a, 1}, {variant("classes.fsm", [](Checkpoint& c) { c.config["ldm"]["classes"] = {"a", "c"}; }), 1}},
                {"classes.fsm", "'ldm'"});
  expectRefused({{a, 1}, {variant("scale.fsm", [](Checkpoint& c) { c.config["ldm"]["latent_scale"] = 0.7136; }), 1}},
                {"scale.fsm", "'ldm'"});
  expectRefused({{a, 1}, {variant("domain.fsm", [](Checkpoint& c) { c.config["domain"] = "shape"; }), 1}},
                {"domain.fsm", "'domain'"});
  expectRefused({{a, 1}, {variant("extra.fsm", [](Checkpoint& c) { c.config["vae"] = {{"x", 1}}; }), 1}},
                {"extra.fsm", "'vae'"});
  expectRefused({{a, 1}, {variant("missing.fsm", [](Checkpoint& c) { c.tensors.erase("unet.h"); c.tensors["unet.x"] = torch::ones({4}); }), 1}},
                {"missing.fsm", "'unet.h'"});
  expectRefused({{a, 1}, {variant("shape.fsm", [](Checkpoint& c) { c.tensors["unet.w"] = torch::ones({3, 2}); }), 1}},
                {"shape.fsm", "'unet.w'", "[3, 2]", "[2, 3]"});
  expectRefused({{a, 1}, {variant("ids.fsm", [](Checkpoint& c) { c.tensors["classes.ids"][0] = 7; }), 1}},
                {"ids.fsm", "'classes.ids'"});
  const fs::path ok = variant("ok.fsm", [](Checkpoint&) {});
  expectRefused({{a, 1}}, {"at least two"});
  expectRefused({{a, 1}, {ok, 0}}, {"ok.fsm", "positive"});
  expectRefused({{a, 1}, {ok, -1}}, {"ok.fsm", "positive"});
  expectRefused({{a, 1}, {dir / "absent.fsm", 1}}, {"absent.fsm"});
  // The training records may differ: that is what averaging is for; so may a measured number's last digits.
  EXPECT_NO_THROW(averageCheckpoints({{a, 1}, {ok, 1}}));
  Checkpoint rescaled = modelFile(2.f, "2");
  rescaled.config["ldm"]["latent_scale"] = 0.713530762659596;
  saveCheckpoint(dir / "rescaled.fsm", rescaled);
  EXPECT_EQ(averageCheckpoints({{a, 1}, {dir / "rescaled.fsm", 1}}).config["ldm"]["latent_scale"], 0.7135304591968924);
}

}  // namespace
}  // namespace fieldscope
