#pragma once
// Which training items a step uses (docs/training.md "Data"), the same way in a run alone and in a
// data-parallel job: the items are read in epochs, each epoch a permutation of all n items
// shuffled by (run seed, epoch); step k's global batch is the next batch × world positions of
// that endless sequence, and rank r takes its r-th slice of `batch` of them. So one process with
// batch 2B reads exactly what two processes with batch B read together, each item once per epoch.
#include <torch/types.h>

#include <cstdint>

namespace fieldscope {

struct TrainStep;

// Item indices (int64, `batch` of them) of rank `rank` of `world` at step `step`.
torch::Tensor shardIndices(uint64_t seed, int64_t step, int64_t n, int64_t batch, int rank, int world);
// The same for the rank and step a training step runs as.
torch::Tensor batchIndices(const TrainStep& s, int64_t n, int64_t batch);

}  // namespace fieldscope
