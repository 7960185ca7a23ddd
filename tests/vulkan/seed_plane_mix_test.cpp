// The seed plane's latent: at a lattice point it is exactly that seed's sample; between
// points it is a new sample (not any corner), continuous in the position.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "app/domains/image/seed_plane.h"
#include "model/image/image_model.h"

namespace fieldscope {
namespace {

torch::Tensor planeLatent(ImageModel& m, double x, double y) {
  const SeedMix mix = seedPlaneMix(x, y);
  return m.sampleLatentMix({mix.seeds.begin(), mix.seeds.end()}, {mix.weights.begin(), mix.weights.end()}, 8);
}

TEST(SeedPlaneMix, LatticePointEqualsThePlainSeedAndBetweenIsNew) {
  const std::filesystem::path path = FIELDSCOPE_SOURCE_DIR "/assets/models/emoji-image.fsm";
  ASSERT_TRUE(std::filesystem::exists(path));
  torch::set_num_threads(2);
  auto m = ImageModel::load(path);
  const torch::Tensor seed7 = m->sampleLatent(7, 8), seed8 = m->sampleLatent(8, 8);
  EXPECT_TRUE(torch::equal(planeLatent(*m, 7, 0), seed7)) << "lattice point (7, 0) is seed 7";
  const torch::Tensor mid = planeLatent(*m, 7.5, 0.5);
  EXPECT_GT((mid - seed7).abs().max().item<float>(), 0.05f);
  EXPECT_GT((mid - seed8).abs().max().item<float>(), 0.05f);
  const torch::Tensor near = planeLatent(*m, 7.02, 0.0);
  EXPECT_LT((near - seed7).abs().mean().item<float>(), (mid - seed7).abs().mean().item<float>())
      << "a point near seed 7 is closer to it than the middle of the cell";
  EXPECT_THROW(m->sampleLatentMix({1, 2}, {0.f, 0.f}, 8), std::invalid_argument);
}

}  // namespace
}  // namespace fieldscope
