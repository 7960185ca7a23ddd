// `train image-ldm --init-from F --unet-blocks N` (model/diffusion/unet_grow.h): a UNet with more
// residual blocks a level starts predicting exactly what the trained one does, and a UNet of other
// sizes, or a shallower one, is refused.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "app/domains/image/cli/image_commands.h"
#include "model/checkpoint/checkpoint.h"
#include "model/data/emoji_font.h"
#include "model/diffusion/unet_grow.h"
#include "tests/model/cli_runner.h"
#include "tests/model/test_support.h"
#include "tests/model/tiny_emoji_model.h"

namespace fieldscope {
namespace unet_grow_test {

UNet randomised(const UNetConfig& c, uint64_t seed) {
  torch::manual_seed(seed);
  UNet u(c);
  torch::NoGradGuard g;
  for (auto& p : u->parameters()) p.add_(torch::randn_like(p) * 0.05);  // every tensor, the zeroed ones too
  return u;
}

UNetConfig config(int blocks) {
  UNetConfig c = UNetConfig::preset_("tiny", 4, 8);
  c.channelMult = {1, 2, 2};  // three levels: skips of both widths, attention at one of them
  c.attentionDownsample = {2};
  c.numClasses = 3;
  c.numResBlocks = blocks;
  return c;
}

torch::Tensor predict(UNet& u) {
  torch::manual_seed(7);
  const torch::Tensor x = torch::randn({3, 4, 8, 8});
  const torch::Tensor t = torch::tensor({10, 500, 990}, torch::kInt64);
  const torch::Tensor s = torch::tensor({0.1f, 0.7f, 0.99f});
  torch::NoGradGuard g;
  return u->forward(x, t, s, {}, torch::tensor({0, 2, -1}, torch::kInt64));
}

void expectSamePredictionAfterGrowing(int fromBlocks, int toBlocks) {
  UNet from = randomised(config(fromBlocks), 1), to = randomised(config(toBlocks), 2);
  const torch::Tensor before = predict(to);
  growUNet(to, from);
  const torch::Tensor want = predict(from), got = predict(to);
  EXPECT_LT((got - want).abs().max().item<double>(), 1e-5) << fromBlocks << " -> " << toBlocks;
  EXPECT_GT((before - want).abs().max().item<double>(), 1e-2) << "the deeper UNet did differ before";
  EXPECT_GT(to->parameters().size(), from->parameters().size());
}

TEST(UNetGrow, DeeperUNetStartsWithTheSamePrediction) {
  expectSamePredictionAfterGrowing(1, 2);
  expectSamePredictionAfterGrowing(1, 3);
  expectSamePredictionAfterGrowing(2, 3);  // the trained decoder blocks after a level's first shift together
}

TEST(UNetGrow, TheAddedBlocksTrain) {
  UNet from = randomised(config(1), 1), to = randomised(config(2), 2);
  growUNet(to, from);
  to->zero_grad();
  torch::manual_seed(8);
  const torch::Tensor x = torch::randn({2, 4, 8, 8});
  (to->forward(x, torch::tensor({100, 800}, torch::kInt64), torch::tensor({0.3f, 0.9f})) - torch::randn_like(x)).pow(2).mean().backward();
  const auto params = to->named_parameters(true);
  for (const char* name : {"down0_1_res.conv2.weight", "up0_1_res.conv2.weight", "up1_1_attn.proj.weight"}) {
    const torch::Tensor* p = params.find(name);
    ASSERT_NE(p, nullptr) << name;
    ASSERT_TRUE(p->grad().defined()) << name;
    EXPECT_GT(p->grad().abs().max().item<double>(), 0) << name << ": an added block that gets no gradient would stay the identity";
  }
}

TEST(UNetGrow, OtherSizesOrAShallowerTargetAreRefused) {
  UNetConfig wider = config(2);
  wider.baseChannels *= 2;
  EXPECT_THROW(UNetGrowth(config(1), wider), std::runtime_error);
  EXPECT_THROW(UNetGrowth(config(2), config(1)), std::runtime_error);
  UNetConfig otherAttention = config(2);
  otherAttention.attentionDownsample = {1};
  EXPECT_THROW(UNetGrowth(config(1), otherAttention), std::runtime_error);
  EXPECT_NO_THROW(UNetGrowth(config(1), config(2)));
}

const test::CliRunner growCli(DomainList{{"image", registerImageCommands, nullptr}});

// The trainer end to end: `train image-ldm --init-from plain.fsm --unet-blocks 2` (at a learning rate
// that changes nothing) writes a 2-block UNet whose trained tensors sit where unet_grow.h says and whose
// added blocks are the identity; a shallower UNet than the file's is refused, naming the file.
TEST(UNetGrow, TrainImageLdmGrowsTheUNetOfTheFileItStartsFrom) {
  if (!std::filesystem::exists(kDefaultEmojiFont)) GTEST_SKIP() << "needs fonts-noto-color-emoji (scripts/setup.sh installs it)";
  torch::set_num_threads(2);
  test::TempDir dir("unet-grow");
  const test::TinyEmojiModel tiny = test::trainTinyEmojiModel(growCli, dir.path);
  const std::string& data = tiny.data;
  const std::string& plain = tiny.model;
  const auto grown = (dir.path / "grown.fsm").string(), shallow = (dir.path / "shallow.fsm").string();
  growCli.run({"train", "image-ldm", "--vae", plain, "--data", data, "--preset", "tiny", "-o", grown, "--steps", "1", "--batch",
               "4", "--lr", "1e-12", "--init-from", plain, "--unet-blocks", "2"});
  const Checkpoint p = loadCheckpoint(plain), g = loadCheckpoint(grown);
  EXPECT_EQ(p.config.at("ldm").at("unet").at("num_res_blocks").get<int>(), 1);
  EXPECT_EQ(g.config.at("ldm").at("unet").at("num_res_blocks").get<int>(), 2);
  auto same = [&](const std::string& from, const std::string& to) {
    return torch::allclose(p.at("ldm." + from), g.at("ldm." + to), 1e-6, 1e-6);
  };
  EXPECT_TRUE(same("down0_0_res.conv1.weight", "down0_0_res.conv1.weight"));
  EXPECT_TRUE(same("up0_0_res.conv1.weight", "up0_0_res.conv1.weight"));
  EXPECT_TRUE(same("up0_1_res.conv1.weight", "up0_2_res.conv1.weight"));  // after the added block
  EXPECT_TRUE(same("mid_attn.qkv.weight", "mid_attn.qkv.weight"));
  EXPECT_LT(g.at("ldm.down0_1_res.conv2.weight").abs().max().item<double>(), 1e-6);
  EXPECT_LT(g.at("ldm.up0_1_res.conv2.weight").abs().max().item<double>(), 1e-6);
  growCli.expectFails({"train", "image-ldm", "--vae", plain, "--data", data, "--preset", "tiny", "-o", shallow, "--steps", "1",
                       "--batch", "4", "--init-from", grown, "--unet-blocks", "1"},
                      "grown.fsm': the UNet to start from has 2 residual blocks a level");
  EXPECT_FALSE(std::filesystem::exists(shallow));
}

}  // namespace unet_grow_test
}  // namespace fieldscope
