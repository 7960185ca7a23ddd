#include "model/train/batch_sampler.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <stdexcept>

#include "model/train/training_loop.h"

namespace fieldscope {

namespace {

// The permutation of epoch `epoch`; the last one is kept (a batch mostly stays in one epoch).
torch::Tensor epochOrder(uint64_t seed, int64_t epoch, int64_t n) {
  thread_local uint64_t keptSeed = 0;
  thread_local int64_t keptEpoch = -1, keptN = -1;
  thread_local torch::Tensor kept;
  if (keptEpoch != epoch || keptN != n || keptSeed != seed || !kept.defined()) {
    uint64_t x = (seed + 0x632BE59BD9B4E019ull) * 0x9E3779B97F4A7C15ull ^ static_cast<uint64_t>(epoch) * 0xD6E8FEB86659FD93ull;
    x ^= x >> 29;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(x);
    kept = torch::randperm(n, gen, torch::kInt64);
    keptSeed = seed;
    keptEpoch = epoch;
    keptN = n;
  }
  return kept;
}

}  // namespace

torch::Tensor shardIndices(uint64_t seed, int64_t step, int64_t n, int64_t batch, int rank, int world) {
  if (n <= 0) throw std::runtime_error("there are no training items to draw a batch from");
  if (batch <= 0 || world <= 0 || rank < 0 || rank >= world) throw std::logic_error("shardIndices: bad batch or rank");
  torch::Tensor out = torch::empty({batch}, torch::kInt64);
  auto* o = out.data_ptr<int64_t>();
  const int64_t first = (step * world + rank) * batch;
  for (int64_t i = 0; i < batch;) {
    const int64_t pos = first + i, epoch = pos / n, at = pos % n;
    const torch::Tensor order = epochOrder(seed, epoch, n);
    const int64_t* p = order.data_ptr<int64_t>();
    const int64_t take = std::min(batch - i, n - at);  // up to the end of this epoch
    for (int64_t j = 0; j < take; ++j) o[i + j] = p[at + j];
    i += take;
  }
  return out;
}

torch::Tensor batchIndices(const TrainStep& s, int64_t n, int64_t batch) {
  return shardIndices(s.seed, s.index, n, batch, s.rank, s.world);
}

}  // namespace fieldscope
