#pragma once
// SharedTensor: one Vulkan allocation that is at the same time a VkBuffer (for shaders)
// and a torch::Tensor (for the inference worker) -- no copy in between (docs/architecture.md "Shared memory").
//
// This header is torch-free so render/ and app/ headers can use it; the torch view is
// in shared_tensor_torch.h. Backends:
//   Host: HOST_VISIBLE|HOST_COHERENT memory, mapped once; torch::from_blob over the mapping.
//         Coherent memory + vkQueueSubmit (an implicit host-write barrier) order torch's
//         writes before Vulkan's reads, as long as a region is not written while a
//         submitted frame reads it (callers hand out disjoint slots).
//   Cuda: (GPU builds) device-local memory exported as an opaque fd and imported into
//         CUDA; a timeline semaphore orders torch's stream and the Vulkan queue.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cuda_interop/vulkan_device_ref.h"

namespace fieldscope {

enum class SharedScalar { UInt8, Float32 };
enum class SharedBackend { Host, Cuda };

size_t sharedScalarBytes(SharedScalar s);
const char* sharedBackendName(SharedBackend b);

class SharedTensor {
 public:
  // Creates a tensor of `shape` (row-major, contiguous). Throws std::runtime_error when the
  // backend is unavailable (e.g. Cuda in a CPU build) or allocation fails.
  static std::unique_ptr<SharedTensor> create(const VulkanDeviceRef& dev, std::vector<int64_t> shape,
                                              SharedScalar dtype, SharedBackend backend = SharedBackend::Host);
  virtual ~SharedTensor() = default;
  SharedTensor(const SharedTensor&) = delete;
  SharedTensor& operator=(const SharedTensor&) = delete;

  virtual SharedBackend backend() const = 0;
  virtual VkBuffer buffer() const = 0;
  // Pointer torch writes through: host address (Host) or CUDA device address (Cuda).
  virtual void* torchData() const = 0;
  // Called by the writer after torch finished writing, before Vulkan may read the data.
  virtual void torchWritesDone() = 0;
  // What a Vulkan submit that reads this tensor must wait on: the last torchWritesDone()
  // (CUDA backend); nothing for the host backend.
  virtual VulkanWait vulkanWait() const { return {}; }
  // The CUDA device torchData() lives on (-1: host memory).
  virtual int cudaDevice() const { return -1; }

  const std::vector<int64_t>& shape() const { return shape_; }
  SharedScalar dtype() const { return dtype_; }
  size_t bytes() const;

 protected:
  SharedTensor(std::vector<int64_t> shape, SharedScalar dtype) : shape_(std::move(shape)), dtype_(dtype) {}

 private:
  std::vector<int64_t> shape_;
  SharedScalar dtype_;
};

}  // namespace fieldscope
