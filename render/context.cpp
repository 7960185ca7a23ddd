#include "render/context.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "cuda_interop/cuda_support.h"
#include "render/timeline_waits.h"
#include "cuda_interop/vk_check.h"

namespace fieldscope {

bool validationRequestedByEnvironment() {
  const char* v = std::getenv("FIELDSCOPE_VALIDATION");
  return v && std::strcmp(v, "0") != 0 && *v;
}

VulkanContext::VulkanContext(ContextOptions options) {
  try {
    createInstance(options);
    if (options.makeSurface) surface_ = options.makeSurface(instance_);
    pickPhysicalDevice(options);
    createDevice();
  } catch (...) {
    release();
    throw;
  }
}

VulkanContext::~VulkanContext() { release(); }

void VulkanContext::release() {
  if (device_) {
    vkDeviceWaitIdle(device_);
    if (pool_) vkDestroyCommandPool(device_, pool_, nullptr);
    vkDestroyDevice(device_, nullptr);
    device_ = VK_NULL_HANDLE;
    pool_ = VK_NULL_HANDLE;
  }
  if (surface_) vkDestroySurfaceKHR(instance_, surface_, nullptr);
  surface_ = VK_NULL_HANDLE;
  if (messenger_) {
    auto destroy = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
        vkGetInstanceProcAddr(instance_, "vkDestroyDebugUtilsMessengerEXT"));
    if (destroy) destroy(instance_, messenger_, nullptr);
    messenger_ = VK_NULL_HANDLE;
  }
  if (instance_) vkDestroyInstance(instance_, nullptr);
  instance_ = VK_NULL_HANDLE;
}

VKAPI_ATTR VkBool32 VKAPI_CALL VulkanContext::onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                        VkDebugUtilsMessageTypeFlagsEXT,
                                                        const VkDebugUtilsMessengerCallbackDataEXT* data, void* user) {
  auto* self = static_cast<VulkanContext*>(user);
  if (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) {
    self->validationErrors_++;
    std::fprintf(stderr, "fieldscope: Vulkan validation error: %s\n", data->pMessage);
  } else if (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT) {
    self->validationWarnings_++;
    std::fprintf(stderr, "fieldscope: Vulkan validation warning: %s\n", data->pMessage);
  }
  return VK_FALSE;
}

void VulkanContext::createInstance(const ContextOptions& o) {
  validationEnabled_ = o.validation || validationRequestedByEnvironment();
  std::vector<const char*> layers;
  std::vector<const char*> exts = o.instanceExtensions;
  if (validationEnabled_) {
    uint32_t n = 0;
    vkEnumerateInstanceLayerProperties(&n, nullptr);
    std::vector<VkLayerProperties> available(n);
    vkEnumerateInstanceLayerProperties(&n, available.data());
    bool found = false;
    for (auto& l : available) found |= std::strcmp(l.layerName, "VK_LAYER_KHRONOS_validation") == 0;
    if (!found)
      throw std::runtime_error(
          "Vulkan validation was requested (FIELDSCOPE_VALIDATION=1) but VK_LAYER_KHRONOS_validation is not "
          "installed (Debian package vulkan-validationlayers)");
    layers.push_back("VK_LAYER_KHRONOS_validation");
    exts.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
    // Synchronization validation too (missing barriers: read/write hazards between commands and
    // submits), through VK_EXT_validation_features, which the layer provides.
    uint32_t m = 0;
    vkEnumerateInstanceExtensionProperties("VK_LAYER_KHRONOS_validation", &m, nullptr);
    std::vector<VkExtensionProperties> layerExts(m);
    vkEnumerateInstanceExtensionProperties("VK_LAYER_KHRONOS_validation", &m, layerExts.data());
    for (auto& e : layerExts)
      if (std::strcmp(e.extensionName, VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME) == 0) syncValidation_ = true;
    if (syncValidation_) exts.push_back(VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME);
  }
  VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
  app.pApplicationName = "Fieldscope";
  app.applicationVersion = VK_MAKE_VERSION(0, 1, 0);
  app.pEngineName = "Fieldscope";
  app.apiVersion = VK_API_VERSION_1_2;
  VkInstanceCreateInfo ci{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
  ci.pApplicationInfo = &app;
  ci.enabledLayerCount = static_cast<uint32_t>(layers.size());
  ci.ppEnabledLayerNames = layers.data();
  ci.enabledExtensionCount = static_cast<uint32_t>(exts.size());
  ci.ppEnabledExtensionNames = exts.data();
  VkDebugUtilsMessengerCreateInfoEXT mi{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
  mi.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
  mi.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT;
  mi.pfnUserCallback = &VulkanContext::onMessage;
  mi.pUserData = this;
  if (validationEnabled_) ci.pNext = &mi;  // also catches errors in vkCreate/DestroyInstance
  const VkValidationFeatureEnableEXT enables[] = {VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT};
  VkValidationFeaturesEXT features{VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT};
  features.enabledValidationFeatureCount = 1;
  features.pEnabledValidationFeatures = enables;
  if (syncValidation_) {
    features.pNext = ci.pNext;
    ci.pNext = &features;
  }
  VkResult r = vkCreateInstance(&ci, nullptr, &instance_);
  if (r == VK_ERROR_INCOMPATIBLE_DRIVER || r == VK_ERROR_INITIALIZATION_FAILED)
    throw std::runtime_error(
        "no Vulkan driver found (install a GPU driver, or mesa-vulkan-drivers for the CPU driver lavapipe)");
  vkCheck(r, "vkCreateInstance");
  if (validationEnabled_) {
    auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
        vkGetInstanceProcAddr(instance_, "vkCreateDebugUtilsMessengerEXT"));
    if (!create) throw std::runtime_error("VK_EXT_debug_utils is not available");
    vkCheck(create(instance_, &mi, nullptr, &messenger_), "vkCreateDebugUtilsMessengerEXT");
  }
}

namespace {
int typeRank(VkPhysicalDeviceType t) {
  switch (t) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return 4;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return 3;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return 2;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return 1;
    default: return 0;
  }
}
const char* typeName(VkPhysicalDeviceType t) {
  switch (t) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return "discrete GPU";
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return "integrated GPU";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return "virtual GPU";
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return "CPU";
    default: return "other";
  }
}
}  // namespace

void VulkanContext::pickPhysicalDevice(const ContextOptions& o) {
  uint32_t n = 0;
  vkEnumeratePhysicalDevices(instance_, &n, nullptr);
  std::vector<VkPhysicalDevice> devices(n);
  vkEnumeratePhysicalDevices(instance_, &n, devices.data());
  if (devices.empty())
    throw std::runtime_error(
        "no Vulkan device found (install a GPU driver, or mesa-vulkan-drivers for the CPU driver lavapipe)");

  auto usableFamily = [&](VkPhysicalDevice d) -> int {
    uint32_t qn = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(d, &qn, nullptr);
    std::vector<VkQueueFamilyProperties> q(qn);
    vkGetPhysicalDeviceQueueFamilyProperties(d, &qn, q.data());
    for (uint32_t i = 0; i < qn; ++i) {
      const VkQueueFlags want = VK_QUEUE_GRAPHICS_BIT | VK_QUEUE_COMPUTE_BIT;
      if ((q[i].queueFlags & want) != want) continue;
      if (surface_) {
        VkBool32 present = VK_FALSE;
        vkGetPhysicalDeviceSurfaceSupportKHR(d, i, surface_, &present);
        if (!present) continue;
      }
      return static_cast<int>(i);
    }
    return -1;
  };

  int chosen = -1;
  std::string why;
  if (o.cudaDevice >= 0) {
    chosen = pickByCudaUuid(devices, o.cudaDevice, why);
    if (o.gpuIndex >= 0 && o.gpuIndex != chosen)
      throw std::runtime_error("--gpu " + std::to_string(o.gpuIndex) + " is not CUDA device " +
                               std::to_string(o.cudaDevice) + " (that is Vulkan device " + std::to_string(chosen) + ")");
    if (usableFamily(devices[chosen]) < 0)
      throw std::runtime_error("the Vulkan device of CUDA device " + std::to_string(o.cudaDevice) +
                               " has no usable queue");
    cudaDevice_ = o.cudaDevice;
  } else if (o.gpuIndex >= 0) {
    if (o.gpuIndex >= static_cast<int>(devices.size()))
      throw std::runtime_error("--gpu " + std::to_string(o.gpuIndex) + ": there are only " +
                               std::to_string(devices.size()) + " Vulkan devices");
    if (usableFamily(devices[o.gpuIndex]) < 0)
      throw std::runtime_error("--gpu " + std::to_string(o.gpuIndex) + ": that device has no usable queue");
    chosen = o.gpuIndex;
    why = "--gpu";
  } else {
    int best = -1;
    for (size_t i = 0; i < devices.size(); ++i) {
      if (usableFamily(devices[i]) < 0) continue;
      VkPhysicalDeviceProperties p;
      vkGetPhysicalDeviceProperties(devices[i], &p);
      if (typeRank(p.deviceType) > best) {
        best = typeRank(p.deviceType);
        chosen = static_cast<int>(i);
      }
    }
    if (chosen < 0) throw std::runtime_error("no Vulkan device can run Fieldscope (graphics+compute queue, presentation)");
    why = "auto: discrete > integrated > CPU";
  }
  physical_ = devices[chosen];
  queueFamily_ = static_cast<uint32_t>(usableFamily(physical_));
  vkGetPhysicalDeviceProperties(physical_, &props_);
  deviceName_ = props_.deviceName;
  if (!o.quiet)
    std::fprintf(stderr, "fieldscope: Vulkan device %d of %zu: %s (%s) [%s]%s\n", chosen, devices.size(),
                 deviceName_.c_str(), typeName(props_.deviceType), why.c_str(),
                 validationEnabled_ ? ", validation on" : "");
}

int VulkanContext::pickByCudaUuid(const std::vector<VkPhysicalDevice>& devices, int cudaDevice, std::string& why) {
  CudaDeviceInfo cuda;
  std::string cudaWhy;
  if (!queryCudaDevice(cudaDevice, cuda, cudaWhy)) throw std::runtime_error(cudaWhy);
  for (size_t i = 0; i < devices.size(); ++i) {
    VkPhysicalDeviceIDProperties id{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES};
    VkPhysicalDeviceProperties2 p2{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
    p2.pNext = &id;
    vkGetPhysicalDeviceProperties2(devices[i], &p2);
    if (std::memcmp(id.deviceUUID, cuda.uuid.data(), VK_UUID_SIZE) == 0) {
      why = "same UUID as CUDA device " + std::to_string(cudaDevice) + " (" + cuda.name + ")";
      return static_cast<int>(i);
    }
  }
  throw std::runtime_error("no Vulkan device is CUDA device " + std::to_string(cudaDevice) + " (" + cuda.name +
                           "): no UUID matches; is the NVIDIA Vulkan driver (ICD) installed?");
}

namespace {
bool hasExtension(const std::vector<VkExtensionProperties>& all, const char* name) {
  for (const auto& e : all)
    if (std::strcmp(e.extensionName, name) == 0) return true;
  return false;
}
}  // namespace

void VulkanContext::createDevice() {
  float priority = 1.0f;
  VkDeviceQueueCreateInfo qi{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
  qi.queueFamilyIndex = queueFamily_;
  qi.queueCount = 1;
  qi.pQueuePriorities = &priority;
  std::vector<const char*> exts;
  if (surface_) exts.push_back(VK_KHR_SWAPCHAIN_EXTENSION_NAME);
  // Sharing with CUDA: exportable memory and (timeline) semaphores as opaque fds.
  uint32_t en = 0;
  vkEnumerateDeviceExtensionProperties(physical_, nullptr, &en, nullptr);
  std::vector<VkExtensionProperties> available(en);
  vkEnumerateDeviceExtensionProperties(physical_, nullptr, &en, available.data());
  VkPhysicalDeviceVulkan12Features has12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
  VkPhysicalDeviceFeatures2 has{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
  has.pNext = &has12;
  vkGetPhysicalDeviceFeatures2(physical_, &has);
  externalInterop_ = has12.timelineSemaphore && hasExtension(available, VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME) &&
                     hasExtension(available, VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME);
  if (externalInterop_) {
    exts.push_back(VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME);
    exts.push_back(VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME);
  } else if (cudaDevice_ >= 0) {
    throw std::runtime_error(deviceName_ +
                             ": cannot share memory with CUDA (needs VK_KHR_external_memory_fd, "
                             "VK_KHR_external_semaphore_fd and timeline semaphores)");
  }
  VkPhysicalDeviceVulkan12Features want12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
  want12.timelineSemaphore = has12.timelineSemaphore;
  VkDeviceCreateInfo ci{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
  ci.pNext = &want12;
  ci.queueCreateInfoCount = 1;
  ci.pQueueCreateInfos = &qi;
  ci.enabledExtensionCount = static_cast<uint32_t>(exts.size());
  ci.ppEnabledExtensionNames = exts.data();
  vkCheck(vkCreateDevice(physical_, &ci, nullptr, &device_), "vkCreateDevice");
  vkGetDeviceQueue(device_, queueFamily_, 0, &queue_);
  VkCommandPoolCreateInfo pi{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
  pi.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  pi.queueFamilyIndex = queueFamily_;
  vkCheck(vkCreateCommandPool(device_, &pi, nullptr, &pool_), "vkCreateCommandPool");
}

std::string VulkanContext::apiVersionText() const {
  return std::to_string(VK_API_VERSION_MAJOR(props_.apiVersion)) + "." +
         std::to_string(VK_API_VERSION_MINOR(props_.apiVersion)) + "." +
         std::to_string(VK_API_VERSION_PATCH(props_.apiVersion));
}

std::string VulkanContext::driverText() const { return std::to_string(props_.driverVersion); }

void VulkanContext::submitAndWait(const std::function<void(VkCommandBuffer)>& record,
                                  const std::vector<VulkanWait>& waits) const {
  VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  ai.commandPool = pool_;
  ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  ai.commandBufferCount = 1;
  VkCommandBuffer cmd;
  vkCheck(vkAllocateCommandBuffers(device_, &ai, &cmd), "vkAllocateCommandBuffers");
  VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  vkBeginCommandBuffer(cmd, &bi);
  record(cmd);
  vkEndCommandBuffer(cmd);
  VkFenceCreateInfo fi{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
  VkFence fence;
  vkCheck(vkCreateFence(device_, &fi, nullptr, &fence), "vkCreateFence");
  VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  si.commandBufferCount = 1;
  si.pCommandBuffers = &cmd;
  TimelineWaits tw;
  tw.add(waits, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT);
  tw.apply(si);
  VkResult r = vkQueueSubmit(queue_, 1, &si, fence);
  if (r == VK_SUCCESS) r = vkWaitForFences(device_, 1, &fence, VK_TRUE, UINT64_MAX);
  vkDestroyFence(device_, fence, nullptr);
  vkFreeCommandBuffers(device_, pool_, 1, &cmd);
  vkCheck(r, "vkQueueSubmit/vkWaitForFences");
}

}  // namespace fieldscope
