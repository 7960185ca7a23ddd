#include "model/train/nccl_group.h"

// FIELDSCOPE_NCCL is 1 only against a CUDA LibTorch whose c10d has NCCL (model/CMakeLists.txt),
// which also defines USE_C10D_NCCL for this one file: ProcessGroupNCCL.hpp is empty without it.
#if FIELDSCOPE_NCCL
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <chrono>
#include <stdexcept>

namespace fieldscope {

#if FIELDSCOPE_NCCL

struct NcclGroup::Impl {
  c10::intrusive_ptr<c10d::ProcessGroupNCCL> group;
};

bool NcclGroup::compiled() { return true; }

NcclGroup::NcclGroup(const c10::intrusive_ptr<c10d::Store>& store, int rank, int world, double timeoutSeconds)
    : impl_(std::make_unique<Impl>()) {
  auto prefixed = c10::make_intrusive<c10d::PrefixStore>("fieldscope/nccl", store);
  auto options = c10d::ProcessGroupNCCL::Options::create();
  options->timeout = std::chrono::milliseconds(static_cast<int64_t>(timeoutSeconds * 1000));
  impl_->group = c10::make_intrusive<c10d::ProcessGroupNCCL>(prefixed, rank, world, options);
}

c10::intrusive_ptr<c10d::Work> NcclGroup::allreduce(std::vector<at::Tensor>& tensors) {
  return impl_->group->allreduce(tensors);
}

#else

struct NcclGroup::Impl {};

bool NcclGroup::compiled() { return false; }

NcclGroup::NcclGroup(const c10::intrusive_ptr<c10d::Store>&, int, int, double) {
  throw std::logic_error("NCCL is not in this build (its LibTorch has no CUDA or no NCCL)");
}

c10::intrusive_ptr<c10d::Work> NcclGroup::allreduce(std::vector<at::Tensor>&) {
  throw std::logic_error("NCCL is not in this build");
}

#endif

NcclGroup::~NcclGroup() = default;

}  // namespace fieldscope
