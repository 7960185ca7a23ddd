#pragma once
// The NCCL side of a data-parallel job on CUDA (docs/training.md "On GPUs"): LibTorch's
// c10d::ProcessGroupNCCL on the job's own TCP store (under its own key prefix), used by
// TrainingGroup::allReduceAsync for gradients that live on a GPU when every rank has a GPU of
// its own. Compiled only against a LibTorch with CUDA and NCCL (model/CMakeLists.txt,
// FIELDSCOPE_NCCL); elsewhere compiled() is false and nothing else may be called.
#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/csrc/distributed/c10d/Work.hpp>
#include <torch/types.h>

#include <memory>
#include <vector>

namespace fieldscope {

class NcclGroup {
 public:
  static bool compiled();
  // Creates no communicator yet: NCCL makes one at the first collective, on every rank alike.
  NcclGroup(const c10::intrusive_ptr<c10d::Store>& store, int rank, int world, double timeoutSeconds);
  ~NcclGroup();
  NcclGroup(const NcclGroup&) = delete;
  NcclGroup& operator=(const NcclGroup&) = delete;

  // Sums `tensors` (one CUDA tensor, this rank's GPU) over the ranks; the work's wait() orders the
  // caller's CUDA stream after it.
  c10::intrusive_ptr<c10d::Work> allreduce(std::vector<at::Tensor>& tensors);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fieldscope
