#pragma once
// One process's membership of a data-parallel training job (docs/training.md): the rendezvous
// (a c10d TCPStore hosted by rank 0) and the process groups the ranks all-reduce in (LibTorch's
// c10d ProcessGroupGloo; for gradients on GPUs, c10d ProcessGroupNCCL where the build has it and
// every rank has a GPU of its own: model/train/nccl_group.h). The training loop
// (model/train/training_loop.cpp) makes one when the run's DistributedOptions say world > 1;
// model/train/gradient_allreduce.h sums gradients in it.
#include <torch/csrc/distributed/c10d/Work.hpp>
#include <torch/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/train/distributed_options.h"

namespace fieldscope {

class TrainingGroup {
 public:
  // Meets the other ranks at o.host:o.port. Throws std::runtime_error naming the rendezvous when
  // the job does not assemble within o.timeoutSeconds.
  explicit TrainingGroup(const DistributedOptions& o);
  ~TrainingGroup();
  TrainingGroup(const TrainingGroup&) = delete;
  TrainingGroup& operator=(const TrainingGroup&) = delete;

  int rank() const;
  int world() const;
  const DistributedOptions& options() const;
  // Starts summing `tensors` (one tensor) over the ranks, in place. CUDA tensors go through NCCL
  // when the build has it, FIELDSCOPE_NCCL is not 0 on any rank and no two ranks share a GPU (all
  // ranks decide alike at the first CUDA call, through the store; rank 0 says which on stderr);
  // everything else through Gloo.
  c10::intrusive_ptr<c10d::Work> allReduceAsync(std::vector<at::Tensor>& tensors);

  // Sums `values` over the ranks, in place (every rank gets the sums).
  void allReduceSum(std::vector<double>& values);
  // Overwrites `tensors` (same shapes on every rank) with rank 0's.
  void broadcastFromRank0(const std::vector<torch::Tensor>& tensors);
  // Rank 0's `bytes` on every rank (what rank 0 passes; the others' argument is ignored): how a
  // state file on rank 0's disk reaches ranks on other machines.
  std::string shareFromRank0(const std::string& key, const std::string& bytes);

  // Where this rank is, for lagging(): the loop says when step `step` (0-based) begins and ends,
  // the gradient all-reduce when this rank's backward of it is done. Each writes a store key.
  void beginStep(int64_t step);
  void gradientsReady();
  void endStep();
  // After a collective failed: the ranks that stopped pulsing (listened to for 2.5 s) and where
  // each rank last said it was, e.g. "rank 1 stopped answering (...); last heard: rank 0 is in
  // the all-reduces of step 12 (...); rank 1 computes step 12", or why that cannot be told.
  std::string lagging();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs `collective`; a failure (a timeout, a peer that closed its connection) is rethrown as a
// std::runtime_error that names this rank, what it was doing and the lagging ranks.
void collectiveOrExplain(TrainingGroup& g, const char* what, const std::function<void()>& collective);

}  // namespace fieldscope
