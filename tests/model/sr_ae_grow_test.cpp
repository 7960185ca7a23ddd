// `train sr-ae --init-from` with more decoder blocks (model/sr/sr_ae_grow.h): the deeper model starts
// rendering exactly what the trained one does, and a model of other sizes is refused.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/sr/sr_ae_grow.h"
#include "model/sr/sr_autoencoder.h"

namespace fieldscope {
namespace sr_ae_grow_test {

SrAutoencoder randomised(const SrAeConfig& c, uint64_t seed) {
  torch::manual_seed(seed);
  SrAutoencoder ae(c);
  torch::NoGradGuard g;
  for (auto& p : ae->parameters()) p.add_(torch::randn_like(p) * 0.05);  // every tensor, the zeroed ones too
  return ae;
}

torch::Tensor renderOf(SrAutoencoder& ae, const torch::Tensor& image) {
  torch::NoGradGuard g;
  return ae->render(ae->features(ae->encode(image)), image, 40, 24);
}

// Grows a randomised model of `fromBlocks` decoder blocks a level to `toBlocks` and compares renderings.
void expectSameRenderingAfterGrowing(int fromBlocks, int toBlocks) {
  SrAeConfig small = SrAeConfig::preset_("tiny"), deep = small;
  small.decoderBlocks = fromBlocks;
  deep.decoderBlocks = toBlocks;
  SrAutoencoder from = randomised(small, 1), to = randomised(deep, 2);
  torch::manual_seed(3);
  const torch::Tensor image = torch::rand({2, 3, 16, 24}) * 2 - 1;
  const torch::Tensor before = renderOf(to, image);
  growSrAutoencoder(to, from);
  const torch::Tensor want = renderOf(from, image), got = renderOf(to, image);
  // The same numbers up to float rounding (the identity blocks add exact zeros; the norms' order of
  // summation is the same).
  EXPECT_LT((got - want).abs().max().item<double>(), 1e-5) << fromBlocks << " -> " << toBlocks;
  EXPECT_GT((before - want).abs().max().item<double>(), 1e-2);  // the deeper model did differ before
  EXPECT_GT(to->parameters().size(), from->parameters().size());
}

TEST(SrAeGrow, DeeperDecoderStartsWithTheSameRendering) {
  expectSameRenderingAfterGrowing(1, 3);
  expectSameRenderingAfterGrowing(2, 3);  // the trained blocks after a level's first keep their order
}

TEST(SrAeGrow, OtherSizesOrAShallowerTargetAreRefused) {
  SrAeConfig base = SrAeConfig::preset_("tiny"), wider = base, shallow = base;
  base.decoderBlocks = 2;
  wider.decoderBlocks = 2;  // the same depth: only the feature width differs
  wider.featureChannels = base.featureChannels * 2;
  shallow.decoderBlocks = 1;
  SrAutoencoder from(base), w(wider), s(shallow);
  EXPECT_THROW(growSrAutoencoder(w, from), std::runtime_error);
  EXPECT_THROW(growSrAutoencoder(s, from), std::runtime_error);
}

}  // namespace sr_ae_grow_test
}  // namespace fieldscope
