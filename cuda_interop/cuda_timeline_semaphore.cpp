#include "cuda_interop/cuda_timeline_semaphore.h"

#include <unistd.h>

#include <stdexcept>
#include <string>

#include "cuda_interop/cuda_check.h"
#include "cuda_interop/vk_check.h"

namespace fieldscope {

CudaTimelineSemaphore::CudaTimelineSemaphore(const VulkanDeviceRef& dev, int cudaDevice)
    : device_(dev.device), cudaDevice_(cudaDevice) {
  auto getFd = reinterpret_cast<PFN_vkGetSemaphoreFdKHR>(vkGetDeviceProcAddr(device_, "vkGetSemaphoreFdKHR"));
  if (!getFd) throw std::runtime_error("CUDA interop: the Vulkan device lacks VK_KHR_external_semaphore_fd");
  VkExportSemaphoreCreateInfo ex{VK_STRUCTURE_TYPE_EXPORT_SEMAPHORE_CREATE_INFO};
  ex.handleTypes = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT;
  VkSemaphoreTypeCreateInfo type{VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO};
  type.pNext = &ex;
  type.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
  type.initialValue = 0;
  VkSemaphoreCreateInfo ci{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
  ci.pNext = &type;
  vkCheck(vkCreateSemaphore(device_, &ci, nullptr, &semaphore_), "CUDA interop: vkCreateSemaphore (exportable timeline)");
  int fd = -1;
  VkSemaphoreGetFdInfoKHR fi{VK_STRUCTURE_TYPE_SEMAPHORE_GET_FD_INFO_KHR};
  fi.semaphore = semaphore_;
  fi.handleType = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT;
  try {
    vkCheck(getFd(device_, &fi, &fd), "CUDA interop: vkGetSemaphoreFdKHR");
    cudaCheck(cudaSetDevice(cudaDevice_), "cudaSetDevice");
    cudaExternalSemaphoreHandleDesc desc{};
    desc.type = cudaExternalSemaphoreHandleTypeTimelineSemaphoreFd;
    desc.handle.fd = fd;
    cudaExternalSemaphore_t ext = nullptr;
    cudaCheck(cudaImportExternalSemaphore(&ext, &desc), "cudaImportExternalSemaphore");
    external_ = ext;  // CUDA owns the fd now
  } catch (...) {
    if (fd >= 0) close(fd);
    vkDestroySemaphore(device_, semaphore_, nullptr);
    throw;
  }
}

CudaTimelineSemaphore::~CudaTimelineSemaphore() {
  // CUDA first: its waits/signals reference the Vulkan semaphore.
  if (external_) {
    cudaSetDevice(cudaDevice_);
    cudaDestroyExternalSemaphore(static_cast<cudaExternalSemaphore_t>(external_));
  }
  vkDestroySemaphore(device_, semaphore_, nullptr);
}

void CudaTimelineSemaphore::signalFromCuda(uint64_t value, void* stream) {
  cudaExternalSemaphoreSignalParams p{};
  p.params.fence.value = value;
  auto ext = static_cast<cudaExternalSemaphore_t>(external_);
  cudaCheck(cudaSignalExternalSemaphoresAsync(&ext, &p, 1, static_cast<cudaStream_t>(stream)),
            "cudaSignalExternalSemaphoresAsync");
}

void CudaTimelineSemaphore::waitOnCuda(uint64_t value, void* stream) {
  cudaExternalSemaphoreWaitParams p{};
  p.params.fence.value = value;
  auto ext = static_cast<cudaExternalSemaphore_t>(external_);
  cudaCheck(cudaWaitExternalSemaphoresAsync(&ext, &p, 1, static_cast<cudaStream_t>(stream)),
            "cudaWaitExternalSemaphoresAsync");
}

uint64_t CudaTimelineSemaphore::currentValue() const {
  uint64_t v = 0;
  vkCheck(vkGetSemaphoreCounterValue(device_, semaphore_, &v), "CUDA interop: vkGetSemaphoreCounterValue");
  return v;
}

}  // namespace fieldscope
