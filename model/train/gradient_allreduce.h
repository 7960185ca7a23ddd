#pragma once
// Data-parallel gradients (docs/training.md): after each rank's backward, every trained
// parameter's gradient becomes the mean over the ranks, as DDP does. Gradients are copied into
// flat buckets of a few MB as backward produces them (a hook per parameter), and a bucket's
// all-reduce starts as soon as it is complete, while backward still runs for the earlier layers;
// buckets start in one fixed order on every rank (the reverse of the parameter order, the order
// backward reaches them), so the ranks' collectives always match.
#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace fieldscope {

class TrainingGroup;

class GradientAllReduce {
 public:
  // `params`: the trainer's parameters; those that do not require a gradient are left out.
  GradientAllReduce(TrainingGroup& group, const std::vector<torch::Tensor>& params, int64_t bucketBytes = 4 << 20);
  ~GradientAllReduce();  // removes its hooks
  GradientAllReduce(const GradientAllReduce&) = delete;
  GradientAllReduce& operator=(const GradientAllReduce&) = delete;

  // Before a step (the loop): the hooks collect this step's gradients. Outside arm()..finish()
  // (a trainer's own backward passes before the loop, say) they do nothing.
  void arm();
  // After backward (the trainer, through syncGradients()): starts the buckets not yet started
  // (a parameter this rank did not use counts as a zero gradient), waits for all of them and
  // writes the mean into each parameter's .grad. Throws naming the lagging ranks on a failure.
  void finish();
  bool armed() const;

  int64_t bucketCount() const;
  int64_t parameterCount() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace fieldscope
