#pragma once
// ComputePipeline: one compute shader with its descriptor-set layout (one set, bindings 0..k-1
// of the given types) and optional push constants -- the handles a compute pass needs, owned
// together (RAII). The SPIR-V comes from the embedded shaders (shaders/<name>_spv.h).
#include <vulkan/vulkan.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fieldscope {

class ComputePipeline {
 public:
  ComputePipeline(VkDevice device, const uint32_t* spirv, size_t spirvBytes,
                  const std::vector<VkDescriptorType>& bindings, uint32_t pushConstantBytes, const char* name);
  ~ComputePipeline();
  ComputePipeline(const ComputePipeline&) = delete;
  ComputePipeline& operator=(const ComputePipeline&) = delete;

  VkPipeline pipeline() const { return pipeline_; }
  VkPipelineLayout layout() const { return layout_; }
  VkDescriptorSetLayout setLayout() const { return setLayout_; }
  const std::vector<VkDescriptorType>& bindings() const { return bindings_; }

  // Points binding i of `set` at buffers[i] (whole ranges given by the caller) and binds the
  // pipeline and the set into `cmd`.
  void bind(VkCommandBuffer cmd, VkDescriptorSet set, const std::vector<VkDescriptorBufferInfo>& buffers) const;

 private:
  VkDevice device_;
  std::vector<VkDescriptorType> bindings_;
  VkDescriptorSetLayout setLayout_ = VK_NULL_HANDLE;
  VkPipelineLayout layout_ = VK_NULL_HANDLE;
  VkPipeline pipeline_ = VK_NULL_HANDLE;
};

}  // namespace fieldscope
