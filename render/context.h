#pragma once
// VulkanContext: instance (+ validation layers and an error-counting debug messenger when
// asked), the physical device choice, one logical device with one graphics+compute queue,
// and a command pool. Works without a window (headless) or for a window surface.
#include <vulkan/vulkan.h>

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "cuda_interop/vulkan_device_ref.h"

namespace fieldscope {

struct ContextOptions {
  bool validation = false;                   // default: FIELDSCOPE_VALIDATION=1 in the environment
  int gpuIndex = -1;                         // --gpu N; -1 = automatic
  std::vector<const char*> instanceExtensions;  // e.g. from glfwGetRequiredInstanceExtensions
  // When set, called with the instance; the returned surface must be presentable by the device.
  std::function<VkSurfaceKHR(VkInstance)> makeSurface;
  bool quiet = false;                        // do not log the device choice
  // >= 0: use the Vulkan device that is this CUDA device (same UUID), so that memory and
  // semaphores can be shared with CUDA; throws when there is none.
  int cudaDevice = -1;
};

bool validationRequestedByEnvironment();

class VulkanContext {
 public:
  explicit VulkanContext(ContextOptions options);
  ~VulkanContext();
  VulkanContext(const VulkanContext&) = delete;
  VulkanContext& operator=(const VulkanContext&) = delete;

  VkInstance instance() const { return instance_; }
  VkPhysicalDevice physical() const { return physical_; }
  VkDevice device() const { return device_; }
  VkQueue queue() const { return queue_; }
  uint32_t queueFamily() const { return queueFamily_; }
  VkCommandPool commandPool() const { return pool_; }
  VkSurfaceKHR surface() const { return surface_; }
  VulkanDeviceRef ref() const { return {instance_, physical_, device_, cudaDevice_}; }
  // The CUDA device that is this Vulkan device (-1: not asked for / none).
  int cudaDevice() const { return cudaDevice_; }
  // Whether the device was created with external memory/semaphore fds and timeline semaphores.
  bool externalInterop() const { return externalInterop_; }

  const std::string& deviceName() const { return deviceName_; }
  // A CPU implementation (lavapipe): its present waits for the frame and copies it on the caller's thread.
  bool cpuDevice() const { return props_.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU; }
  std::string apiVersionText() const;
  std::string driverText() const;
  bool validationEnabled() const { return validationEnabled_; }
  // Synchronization validation (hazards between commands) is on with validation, where the
  // layer offers it.
  bool syncValidationEnabled() const { return syncValidation_; }
  // Validation-layer errors reported so far (0 when validation is off).
  int validationErrors() const { return validationErrors_.load(); }
  int validationWarnings() const { return validationWarnings_.load(); }

  // Records with `record`, submits (after `waits`: timeline values of shared tensors), waits:
  // for set-up work and read-backs.
  void submitAndWait(const std::function<void(VkCommandBuffer)>& record,
                     const std::vector<VulkanWait>& waits = {}) const;

 private:
  void release();
  void createInstance(const ContextOptions& o);
  void pickPhysicalDevice(const ContextOptions& o);
  void createDevice();
  int pickByCudaUuid(const std::vector<VkPhysicalDevice>& devices, int cudaDevice, std::string& why);
  static VKAPI_ATTR VkBool32 VKAPI_CALL onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                   VkDebugUtilsMessageTypeFlagsEXT type,
                                                   const VkDebugUtilsMessengerCallbackDataEXT* data, void* user);

  VkInstance instance_ = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
  VkSurfaceKHR surface_ = VK_NULL_HANDLE;
  VkPhysicalDevice physical_ = VK_NULL_HANDLE;
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  uint32_t queueFamily_ = 0;
  VkCommandPool pool_ = VK_NULL_HANDLE;
  VkPhysicalDeviceProperties props_{};
  std::string deviceName_;
  bool validationEnabled_ = false;
  int cudaDevice_ = -1;
  bool externalInterop_ = false;
  std::atomic<int> validationErrors_{0};
  bool syncValidation_ = false;
  std::atomic<int> validationWarnings_{0};
};

}  // namespace fieldscope
