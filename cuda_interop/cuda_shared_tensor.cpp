#include "cuda_interop/cuda_shared_tensor.h"

#include <unistd.h>

#include <stdexcept>
#include <string>

#include "cuda_interop/cuda_check.h"
#include "cuda_interop/torch_cuda_stream.h"
#include "cuda_interop/vk_check.h"

namespace fieldscope {

CudaSharedTensor::CudaSharedTensor(const VulkanDeviceRef& dev, std::vector<int64_t> shape, SharedScalar dtype)
    : SharedTensor(std::move(shape), dtype), device_(dev.device), cudaDevice_(dev.cudaDevice) {
  if (cudaDevice_ < 0)
    throw std::runtime_error("SharedTensor (CUDA): the Vulkan device is not a CUDA device (no UUID match)");
  auto getFd = reinterpret_cast<PFN_vkGetMemoryFdKHR>(vkGetDeviceProcAddr(device_, "vkGetMemoryFdKHR"));
  if (!getFd) throw std::runtime_error("SharedTensor (CUDA): the Vulkan device lacks VK_KHR_external_memory_fd");
  try {
    VkExternalMemoryBufferCreateInfo ext{VK_STRUCTURE_TYPE_EXTERNAL_MEMORY_BUFFER_CREATE_INFO};
    ext.handleTypes = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
    VkExportMemoryAllocateInfo exportInfo{VK_STRUCTURE_TYPE_EXPORT_MEMORY_ALLOCATE_INFO};
    exportInfo.handleTypes = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
    MemoryRequest request;
    request.properties = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
    request.dedicated = true;  // CUDA imports it as a dedicated allocation
    request.allocateNext = &exportInfo;
    storage_ = std::make_unique<VulkanBuffer>(
        dev.physical, device_, bytes(),
        VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
        request, "SharedTensor (CUDA, exportable device-local)", &ext);

    int fd = -1;
    VkMemoryGetFdInfoKHR fi{VK_STRUCTURE_TYPE_MEMORY_GET_FD_INFO_KHR};
    fi.memory = storage_->memory();
    fi.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
    vkCheck(getFd(device_, &fi, &fd), "SharedTensor (CUDA): vkGetMemoryFdKHR");
    cudaExternalMemoryHandleDesc desc{};
    desc.type = cudaExternalMemoryHandleTypeOpaqueFd;
    desc.handle.fd = fd;
    desc.size = storage_->allocationSize();  // CUDA imports the whole allocation
    desc.flags = cudaExternalMemoryDedicated;
    cudaExternalMemory_t mem = nullptr;
    cudaError_t e = cudaSetDevice(cudaDevice_);
    if (e == cudaSuccess) e = cudaImportExternalMemory(&mem, &desc);
    if (e != cudaSuccess) {
      close(fd);  // the fd is CUDA's only after a successful import
      cudaCheck(e, "cudaImportExternalMemory");
    }
    externalMemory_ = mem;
    cudaExternalMemoryBufferDesc bd{};
    bd.offset = 0;
    bd.size = bytes();
    cudaCheck(cudaExternalMemoryGetMappedBuffer(&devicePtr_, mem, &bd), "cudaExternalMemoryGetMappedBuffer");
    semaphore_ = std::make_unique<CudaTimelineSemaphore>(dev, cudaDevice_);
  } catch (...) {
    release();
    throw;
  }
}

CudaSharedTensor::~CudaSharedTensor() { release(); }

void CudaSharedTensor::release() {
  // Teardown order: CUDA's view of the memory first, then the Vulkan objects.
  if (devicePtr_ || externalMemory_ || semaphore_) {
    cudaSetDevice(cudaDevice_);
    cudaDeviceSynchronize();  // no torch kernel may still write through the mapping
  }
  semaphore_.reset();
  if (devicePtr_) cudaFree(devicePtr_);
  devicePtr_ = nullptr;
  if (externalMemory_) cudaDestroyExternalMemory(static_cast<cudaExternalMemory_t>(externalMemory_));
  externalMemory_ = nullptr;
  storage_.reset();
}

void CudaSharedTensor::torchWritesDone() {
  const uint64_t value = signaled_.load() + 1;
  semaphore_->signalFromCuda(value, currentTorchCudaStream(cudaDevice_));
  signaled_.store(value);
}

}  // namespace fieldscope

#include "cuda_interop/cuda_backend.h"
#include "cuda_interop/cuda_support.h"

namespace fieldscope {
std::unique_ptr<SharedTensor> makeCudaSharedTensor(const VulkanDeviceRef& dev, std::vector<int64_t> shape,
                                                   SharedScalar dtype) {
  if (!cudaBackendCompiled()) throw std::runtime_error("SharedTensor: " + cudaBackendMissingReason());
  return std::make_unique<CudaSharedTensor>(dev, std::move(shape), dtype);
}
}  // namespace fieldscope
