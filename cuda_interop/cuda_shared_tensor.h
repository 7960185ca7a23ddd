#pragma once
// CUDA backend of SharedTensor: device-local Vulkan memory exported as an opaque fd, imported
// into CUDA as a dedicated external allocation and mapped as one device pointer that torch
// wraps (kCUDA) -- the same bytes the VkBuffer reads (docs/architecture.md "Shared memory"). A timeline semaphore
// orders torch's writes (on its current stream) before Vulkan's reads.
#include <atomic>
#include <memory>

#include "cuda_interop/cuda_timeline_semaphore.h"
#include "cuda_interop/shared_tensor.h"
#include "cuda_interop/vk_buffer.h"

namespace fieldscope {

class CudaSharedTensor final : public SharedTensor {
 public:
  // dev.cudaDevice must be the CUDA device that is dev.physical (UUID match).
  CudaSharedTensor(const VulkanDeviceRef& dev, std::vector<int64_t> shape, SharedScalar dtype);
  ~CudaSharedTensor() override;

  SharedBackend backend() const override { return SharedBackend::Cuda; }
  VkBuffer buffer() const override { return storage_->buffer(); }
  void* torchData() const override { return devicePtr_; }
  int cudaDevice() const override { return cudaDevice_; }
  // Signals the next timeline value on torch's current stream of this device.
  void torchWritesDone() override;
  VulkanWait vulkanWait() const override { return {semaphore_->vk(), signaled_.load()}; }
  CudaTimelineSemaphore& semaphore() { return *semaphore_; }

 private:
  void release();
  VkDevice device_;
  int cudaDevice_;
  std::unique_ptr<VulkanBuffer> storage_;  // exportable, device-local; released after CUDA's view of it
  void* externalMemory_ = nullptr;  // cudaExternalMemory_t
  void* devicePtr_ = nullptr;
  std::unique_ptr<CudaTimelineSemaphore> semaphore_;
  std::atomic<uint64_t> signaled_{0};
};

}  // namespace fieldscope
