#pragma once
// A Vulkan timeline semaphore exported as an opaque fd and imported into CUDA, so that a CUDA
// stream and the Vulkan queue can order work on each other without the CPU waiting
// (docs/architecture.md "Shared memory"). Either side may signal or wait; signalled values must only grow.
#include <cstdint>

#include "cuda_interop/vulkan_device_ref.h"

namespace fieldscope {

class CudaTimelineSemaphore {
 public:
  // Throws std::runtime_error when the device cannot export timeline semaphores or CUDA
  // cannot import them.
  CudaTimelineSemaphore(const VulkanDeviceRef& dev, int cudaDevice);
  ~CudaTimelineSemaphore();
  CudaTimelineSemaphore(const CudaTimelineSemaphore&) = delete;
  CudaTimelineSemaphore& operator=(const CudaTimelineSemaphore&) = delete;

  VkSemaphore vk() const { return semaphore_; }
  // Enqueued on `stream` (a cudaStream_t): the semaphore reaches `value` when the stream's
  // earlier work is done.
  void signalFromCuda(uint64_t value, void* stream);
  // Work enqueued on `stream` after this waits until the semaphore reaches `value`.
  void waitOnCuda(uint64_t value, void* stream);
  // The value as Vulkan sees it now.
  uint64_t currentValue() const;

 private:
  VkDevice device_;
  VkSemaphore semaphore_ = VK_NULL_HANDLE;
  void* external_ = nullptr;  // cudaExternalSemaphore_t
  int cudaDevice_;
};

}  // namespace fieldscope
