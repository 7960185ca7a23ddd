// The sample-quality metric (docs/architecture.md "Sample quality"): the Fréchet distance and
// precision/recall against analytic cases, the emoji classes from emoji-test.txt, the shipped
// classifier telling two emoji groups apart, and `train emoji-classifier` / `eval samples`
// end to end on tiny models.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "app/domains/image/cli/image_commands.h"
#include "model/checkpoint/checkpoint.h"
#include "model/data/emoji_font.h"
#include "model/data/emoji_labels.h"
#include "model/data/image_folder.h"
#include "model/eval/emoji_classifier.h"
#include "model/eval/frechet_distance.h"
#include "model/eval/precision_recall.h"
#include "model/eval/sample_quality.h"
#include "tests/model/cli_runner.h"
#include "tests/model/test_support.h"

namespace fieldscope {
namespace {

torch::Tensor gaussian(int64_t n, int64_t d, double scale, double shift, uint64_t seed) {
  auto gen = at::detail::createCPUGenerator(seed);
  return torch::randn({n, d}, gen, torch::kFloat64) * scale + shift;
}

TEST(FrechetDistance, IsZeroForOneSetAndMatchesGaussianCases) {
  const torch::Tensor a = gaussian(4000, 8, 1.0, 0.0, 1);
  EXPECT_LT(frechetDistance(a, a), 1e-9);
  // a shift of the mean by v adds |v|² (here 8 x 0.5²), covariances equal
  EXPECT_NEAR(frechetDistance(a, a + 0.5), 2.0, 1e-6);
  // N(0, I) vs N(0, 4I) in 8 dimensions: tr(I + 4I - 2·2I) = 8 (up to the sample covariances)
  const torch::Tensor b = gaussian(4000, 8, 2.0, 0.0, 2);
  EXPECT_NEAR(frechetDistance(a, b), 8.0, 0.6);
  // two draws of the same distribution are close, whatever the draw
  EXPECT_LT(frechetDistance(a, gaussian(4000, 8, 1.0, 0.0, 3)), 0.05);
  EXPECT_THROW(frechetDistance(a, torch::zeros({10, 7})), std::invalid_argument);
}

TEST(PrecisionRecall, SeparatesRealismFromCoverage) {
  const torch::Tensor real = gaussian(600, 4, 1.0, 0.0, 4);
  const PrecisionRecall same = precisionRecall(real, real, 3);
  EXPECT_DOUBLE_EQ(same.precision, 1.0);
  EXPECT_DOUBLE_EQ(same.recall, 1.0);
  const PrecisionRecall far = precisionRecall(real, gaussian(600, 4, 1.0, 50.0, 5), 3);
  EXPECT_EQ(far.precision, 0.0);
  EXPECT_EQ(far.recall, 0.0);
  // mode collapse: samples all near the centre are realistic but cover little of the data
  const PrecisionRecall collapsed = precisionRecall(real, gaussian(600, 4, 0.1, 0.0, 6), 3);
  EXPECT_GT(collapsed.precision, 0.9);
  EXPECT_LT(collapsed.recall, 0.3);
}

bool haveEmojiFiles() {
  return std::filesystem::exists(kDefaultEmojiFont) && std::filesystem::exists(kDefaultEmojiTestFile);
}

TEST(EmojiLabels, EverySequenceOfEmojiTestLabelsAGlyphOfTheFont) {
  if (!haveEmojiFiles()) GTEST_SKIP() << "needs fonts-noto-color-emoji and unicode-data (scripts/setup.sh installs them)";
  const EmojiLabels l = readEmojiLabels(kDefaultEmojiFont);
  EXPECT_EQ(l.groups.front(), "Smileys & Emotion");
  EXPECT_EQ(l.subgroups.front(), "face-smiling");
  EXPECT_GE(l.groups.size(), 9u);
  EXPECT_GE(l.subgroups.size(), 90u);
  EXPECT_GT(l.sequences, 3000);
  EXPECT_LT(l.unshaped, l.sequences / 20) << "most sequences (ZWJ, flags, skin tones) shape to one glyph";
  EXPECT_GT(l.subgroupOfGlyph.size(), 3000u);
  // the file names of the set
  const int some = l.subgroupOfGlyph.begin()->first;
  char name[32];
  std::snprintf(name, sizeof name, "g%05d.png", some);
  EXPECT_EQ(l.subgroupOfFile(name), l.subgroupOfGlyph.begin()->second);
  EXPECT_EQ(l.subgroupOfFile("img3.png"), -1);
  EXPECT_EQ(l.subgroupOfFile("g.png"), -1);
  try {
    readEmojiLabels(kDefaultEmojiFont, "/nonexistent/emoji-test.txt");
    ADD_FAILURE();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/emoji-test.txt"), std::string::npos) << e.what();
  }
}

std::filesystem::path shippedClassifier() { return FIELDSCOPE_SOURCE_DIR "/assets/classifiers/emoji-classifier.fsm"; }

// The metric can fail: in the shipped classifier's features, two halves of one emoji group are
// close and two different groups are far apart.
TEST(ShippedEmojiClassifier, TellsTwoEmojiGroupsApartAndReportsItsAccuracy) {
  if (!haveEmojiFiles() || !std::filesystem::exists(shippedClassifier())) GTEST_SKIP() << "needs the emoji font, unicode-data and the shipped classifier";
  const Checkpoint card = loadCheckpoint(shippedClassifier());
  const double accuracy = card.config.at("metrics").at("held_out_subgroup_accuracy").get<double>();
  const double groupAccuracy = card.config.at("metrics").at("held_out_group_accuracy").get<double>();
  std::printf("[ classifier ] held-out accuracy: %.1f %% (subgroups), %.1f %% (groups)\n", 100 * accuracy, 100 * groupAccuracy);
  EXPECT_GT(groupAccuracy, 0.6);

  test::TempDir dir("emoji-groups");
  EmojiDataOptions o;
  o.size = 32;
  makeEmojiDataset(kDefaultEmojiFont, dir.path / "set", o);
  const ImageDataset set = loadImageFolder(dir.path / "set", 32);
  const EmojiLabels labels = readEmojiLabels(kDefaultEmojiFont);
  auto groupOf = [&](const std::string& name) {
    const int s = labels.subgroupOfFile(name);
    return s < 0 ? std::string() : labels.groups[size_t(labels.groupOfSubgroup[size_t(s)])];
  };
  std::vector<int64_t> smileys, flags;
  for (size_t i = 0; i < set.train.names.size(); ++i) {
    const std::string g = groupOf(set.train.names[i]);
    if (g == "Smileys & Emotion") smileys.push_back(int64_t(i));
    if (g == "Flags") flags.push_back(int64_t(i));
  }
  ASSERT_GT(smileys.size(), 100u);
  ASSERT_GT(flags.size(), 100u);
  EmojiClassifier net = loadEmojiClassifier(shippedClassifier());
  // every other picture: the folder's order (by glyph) runs through the subgroups
  auto features = [&](const std::vector<int64_t>& idx, size_t first, size_t every) {
    std::vector<int64_t> part;
    for (size_t i = first; i < idx.size(); i += every) part.push_back(idx[i]);
    return classifierFeatures(net, set.train.images.index_select(0, torch::tensor(part)));
  };
  const SetScore within = scoreFeatureSet("smileys A vs B", features(smileys, 0, 2), features(smileys, 1, 2));
  const SetScore across = scoreFeatureSet("smileys vs flags", features(smileys, 0, 2), features(flags, 0, 1));
  std::printf("[ classifier ] FD smileys/smileys %.2f, smileys/flags %.2f; recall %.2f vs %.2f\n", within.frechet,
              across.frechet, within.recall, across.recall);
  EXPECT_GT(across.frechet, 4 * within.frechet);
  EXPECT_GT(within.recall, across.recall);
}

const test::CliRunner qualityCli(DomainList{{"image", registerImageCommands, nullptr}});

TEST(SampleQualityCli, TrainsAClassifierAndScoresSamplesBesideTheFloorAndTheVae) {
  if (!haveEmojiFiles()) GTEST_SKIP() << "needs fonts-noto-color-emoji and unicode-data";
  torch::set_num_threads(2);
  test::TempDir dir("sample-quality");
  const auto data = (dir.path / "emoji").string(), vae = (dir.path / "vae.fsm").string(),
             model = (dir.path / "model.fsm").string(), cls = (dir.path / "cls.fsm").string(),
             out = (dir.path / "scores.json").string();
  qualityCli.run({"data", "emoji", "-o", data, "--size", "16", "--count", "120"});
  qualityCli.run({"train", "emoji-classifier", "--data", data, "-o", cls, "--resolution", "16", "--width", "8", "--steps", "3",
                "--batch", "8"});
  const Checkpoint c = loadCheckpoint(cls);
  EXPECT_EQ(c.config.at("kind"), "emoji-classifier");
  EXPECT_GE(c.config.at("metrics").at("held_out_group_accuracy").get<double>(), 0.0);
  qualityCli.run({"train", "image-vae", "--data", data, "--preset", "tiny", "-o", vae, "--steps", "2", "--batch", "2"});
  qualityCli.run({"train", "image-ldm", "--vae", vae, "--data", data, "--preset", "tiny", "-o", model, "--steps", "2", "--batch", "4"});
  qualityCli.run({"eval", "samples", "--model", model, "--data", data, "--classifier", cls, "--count", "12", "--steps", "2", "-o", out});
  std::ifstream in(out);
  const nlohmann::json j = nlohmann::json::parse(in);
  ASSERT_EQ(j.at("sets").size(), 3u);
  EXPECT_EQ(j["sets"][0]["set"], "floor: training pictures");
  EXPECT_EQ(j["sets"][1]["set"], "VAE reconstructions");
  EXPECT_EQ(j["sets"][2]["set"], "samples");
  EXPECT_EQ(j["sets"][2]["pictures"], 12);
  for (const auto& s : j["sets"]) {
    EXPECT_TRUE(std::isfinite(s["frechet_distance"].get<double>()));
    EXPECT_GE(s["recall"].get<double>(), 0.0);
  }
  // a classifier is not a model to score, and a model is not a classifier
  qualityCli.expectFails({"eval", "samples", "--model", cls, "--data", data, "--classifier", cls}, "cls.fsm");
  qualityCli.expectFails({"eval", "samples", "--model", model, "--data", data, "--classifier", model}, "not an emoji classifier");
}

}  // namespace
}  // namespace fieldscope
