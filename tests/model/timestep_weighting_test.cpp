// `train image-ldm --loss-weighting` (model/diffusion/timestep_weighting.h): the weights follow their
// papers' formulas, bad values are refused before anything is written, and the trainer really weights
// its loss with them (a weighting that is 1 everywhere trains as the plain loss, Min-SNR-5 does not).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <stdexcept>

#include "app/domains/image/cli/image_commands.h"
#include "model/checkpoint/checkpoint.h"
#include "model/data/emoji_font.h"
#include "model/diffusion/timestep_weighting.h"
#include "tests/model/cli_runner.h"
#include "tests/model/test_support.h"
#include "tests/model/tiny_emoji_model.h"

namespace fieldscope {
namespace timestep_weighting_test {

std::vector<double> weightsAt(const std::string& text, std::vector<double> snr) {
  const torch::Tensor w = TimestepWeighting::parse(text).weights(torch::tensor(snr, torch::kFloat64));
  return std::vector<double>(w.data_ptr<double>(), w.data_ptr<double>() + w.numel());
}

TEST(TimestepWeighting, WeightsFollowTheirFormulas) {
  const std::vector<double> snr{0.01, 0.5, 5, 20, 400};
  const auto minSnr = weightsAt("min-snr:5", snr), p2 = weightsAt("p2:1,1", snr), plain = weightsAt("uniform", snr);
  const std::vector<double> wantMinSnr{1, 1, 1, 0.25, 5.0 / 400};
  for (size_t i = 0; i < snr.size(); ++i) {
    EXPECT_NEAR(minSnr[i], wantMinSnr[i], 1e-12) << "min-snr:5 at SNR " << snr[i];
    EXPECT_NEAR(p2[i], 1 / (1 + snr[i]), 1e-12) << "p2:1,1 at SNR " << snr[i];
    EXPECT_EQ(plain[i], 1) << "uniform at SNR " << snr[i];
  }
  EXPECT_NEAR(weightsAt("p2:2,0.5", {2})[0], 0.5, 1e-12);  // 1 / sqrt(2 + 2)
  EXPECT_EQ(TimestepWeighting::parse("min-snr:5").toString(), "min-snr:5");
  EXPECT_EQ(TimestepWeighting::parse("p2:1,0.5").toString(), "p2:1,0.5");
  EXPECT_TRUE(TimestepWeighting::parse("uniform").uniform());
}

TEST(TimestepWeighting, MalformedTextIsRefusedSayingWhatIsAccepted) {
  for (const char* bad : {"", "min-snr", "min-snr:", "min-snr:0", "min-snr:-1", "min-snr:5x", "p2:1", "p2:0,1", "p2:1,-1", "snr:5", "Uniform"}) {
    try {
      TimestepWeighting::parse(bad);
      ADD_FAILURE() << "'" << bad << "' was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("expected uniform, min-snr:G"), std::string::npos) << e.what();
    }
  }
}

const test::CliRunner weightingCli(DomainList{{"image", registerImageCommands, nullptr}});

// Three short trainings of the same seed: min-snr with G above every SNR weights each item 1, so it
// trains as the plain loss (up to the order of the sums); min-snr:5 trains otherwise and is recorded in
// the file; a bad value is refused naming the option, and nothing is written.
TEST(TimestepWeighting, TrainImageLdmWeightsItsLoss) {
  if (!std::filesystem::exists(kDefaultEmojiFont)) GTEST_SKIP() << "needs fonts-noto-color-emoji (scripts/setup.sh installs it)";
  torch::set_num_threads(2);
  test::TempDir dir("loss-weighting");
  const test::TinyEmojiModel tiny = test::trainTinyEmojiModel(weightingCli, dir.path);
  auto train = [&](const std::string& weighting) {
    const auto out = (dir.path / (weighting.substr(0, 7) + "-" + std::to_string(weighting.size()) + ".fsm")).string();
    weightingCli.run({"train", "image-ldm", "--vae", tiny.vae, "--data", tiny.data, "--preset", "tiny", "-o", out, "--steps", "3",
                      "--batch", "4", "--lr", "0.1", "--seed", "5", "--loss-weighting", weighting});
    return loadCheckpoint(out);
  };
  const Checkpoint plain = train("uniform"), allOnes = train("min-snr:1e9"), minSnr = train("min-snr:5");
  EXPECT_EQ(minSnr.config.at("training_ldm").at("loss_weighting").get<std::string>(), "min-snr:5");
  EXPECT_EQ(plain.config.at("training_ldm").at("loss_weighting").get<std::string>(), "uniform");
  double onesDiff = 0, minSnrDiff = 0;
  int compared = 0;
  for (const auto& [name, t] : plain.tensors) {
    if (name.rfind("ldm.", 0) != 0) continue;
    ++compared;
    onesDiff = std::max(onesDiff, (allOnes.at(name) - t).abs().max().item<double>());
    minSnrDiff = std::max(minSnrDiff, (minSnr.at(name) - t).abs().max().item<double>());
  }
  ASSERT_GT(compared, 10);
  EXPECT_LT(onesDiff, 1e-5) << "weights of 1 everywhere should train as the plain loss";
  std::printf("largest change of a weight against the plain loss: weights 1 %.3g, min-snr:5 %.3g\n", onesDiff, minSnrDiff);
  EXPECT_GT(minSnrDiff, 1e-4) << "min-snr:5 trained exactly as the plain loss: the weighting was not applied";
  const auto refused = (dir.path / "refused.fsm").string();
  weightingCli.expectFails({"train", "image-ldm", "--vae", tiny.vae, "--data", tiny.data, "--preset", "tiny", "-o", refused, "--steps",
                            "1", "--loss-weighting", "min-snr:-1"},
                           "--loss-weighting: loss weighting 'min-snr:-1': G must be positive");
  EXPECT_FALSE(std::filesystem::exists(refused));
}

}  // namespace timestep_weighting_test
}  // namespace fieldscope
