// The data-parallel sampler (model/train/batch_sampler.h): two ranks read together what one
// process reads with the doubled batch, and every item comes once per epoch.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <set>

#include "model/train/batch_sampler.h"

namespace fieldscope {
namespace {

TEST(BatchSampler, TwoRanksTogetherReadTheDoubledBatchOfOneProcess) {
  for (int64_t step = 0; step < 20; ++step) {
    const torch::Tensor alone = shardIndices(7, step, 37, 8, 0, 1);
    const torch::Tensor joint = torch::cat({shardIndices(7, step, 37, 4, 0, 2), shardIndices(7, step, 37, 4, 1, 2)});
    EXPECT_TRUE(torch::equal(alone, joint)) << "step " << step;
  }
}

TEST(BatchSampler, EachEpochIsAPermutationAndEpochsAreShuffledDifferently) {
  const int64_t n = 30, batch = 5;
  std::vector<int64_t> seen;
  for (int64_t step = 0; step < 12; ++step) {  // two epochs, read by 2 ranks of batch 5... as one sequence
    for (int rank = 0; rank < 2; ++rank) {
      const torch::Tensor idx = shardIndices(3, step, n, batch, rank, 2);
      for (int64_t i = 0; i < batch; ++i) seen.push_back(idx[i].item<int64_t>());
    }
  }
  ASSERT_EQ(seen.size(), 120u);
  for (int epoch = 0; epoch < 4; ++epoch) {
    const std::set<int64_t> items(seen.begin() + epoch * n, seen.begin() + (epoch + 1) * n);
    EXPECT_EQ(items.size(), size_t(n)) << "epoch " << epoch << " repeats an item";
    EXPECT_EQ(*items.begin(), 0);
    EXPECT_EQ(*items.rbegin(), n - 1);
  }
  EXPECT_FALSE(std::equal(seen.begin(), seen.begin() + n, seen.begin() + n)) << "two epochs in the same order";
  // another seed, another order
  EXPECT_FALSE(torch::equal(shardIndices(3, 0, n, batch, 0, 1), shardIndices(4, 0, n, batch, 0, 1)));
}

TEST(BatchSampler, ABatchLargerThanTheDataSpansEpochs) {
  const torch::Tensor idx = shardIndices(1, 0, 3, 7, 0, 1);
  ASSERT_EQ(idx.numel(), 7);
  EXPECT_EQ(idx.max().item<int64_t>(), 2);
  EXPECT_EQ(std::set<int64_t>(idx.data_ptr<int64_t>(), idx.data_ptr<int64_t>() + 3).size(), 3u);
  EXPECT_THROW(shardIndices(1, 0, 0, 4, 0, 1), std::runtime_error);
}

}  // namespace
}  // namespace fieldscope
