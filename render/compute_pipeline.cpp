#include "render/compute_pipeline.h"

#include <stdexcept>
#include <string>

#include "cuda_interop/vk_check.h"

namespace fieldscope {

ComputePipeline::ComputePipeline(VkDevice device, const uint32_t* spirv, size_t spirvBytes,
                                 const std::vector<VkDescriptorType>& bindings, uint32_t pushConstantBytes,
                                 const char* name)
    : device_(device), bindings_(bindings) {
  const std::string what(name);
  std::vector<VkDescriptorSetLayoutBinding> b(bindings.size());
  for (uint32_t i = 0; i < b.size(); ++i) {
    b[i].binding = i;
    b[i].descriptorType = bindings[i];
    b[i].descriptorCount = 1;
    b[i].stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
  }
  VkDescriptorSetLayoutCreateInfo li{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
  li.bindingCount = uint32_t(b.size());
  li.pBindings = b.data();
  vkCheck(vkCreateDescriptorSetLayout(device_, &li, nullptr, &setLayout_),
          ("vkCreateDescriptorSetLayout (" + what + ")").c_str());
  try {
    VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0, pushConstantBytes};
    VkPipelineLayoutCreateInfo pli{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    pli.setLayoutCount = 1;
    pli.pSetLayouts = &setLayout_;
    pli.pushConstantRangeCount = pushConstantBytes ? 1 : 0;
    pli.pPushConstantRanges = &range;
    vkCheck(vkCreatePipelineLayout(device_, &pli, nullptr, &layout_), ("vkCreatePipelineLayout (" + what + ")").c_str());

    VkShaderModuleCreateInfo smi{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
    smi.codeSize = spirvBytes;
    smi.pCode = spirv;
    VkShaderModule module;
    vkCheck(vkCreateShaderModule(device_, &smi, nullptr, &module), ("vkCreateShaderModule (" + what + ")").c_str());
    VkComputePipelineCreateInfo ci{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    ci.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
    ci.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    ci.stage.module = module;
    ci.stage.pName = "main";
    ci.layout = layout_;
    VkResult r = vkCreateComputePipelines(device_, VK_NULL_HANDLE, 1, &ci, nullptr, &pipeline_);
    vkDestroyShaderModule(device_, module, nullptr);
    vkCheck(r, ("vkCreateComputePipelines (" + what + ")").c_str());
  } catch (...) {
    if (layout_) vkDestroyPipelineLayout(device_, layout_, nullptr);
    vkDestroyDescriptorSetLayout(device_, setLayout_, nullptr);
    throw;
  }
}

ComputePipeline::~ComputePipeline() {
  vkDestroyPipeline(device_, pipeline_, nullptr);
  vkDestroyPipelineLayout(device_, layout_, nullptr);
  vkDestroyDescriptorSetLayout(device_, setLayout_, nullptr);
}

void ComputePipeline::bind(VkCommandBuffer cmd, VkDescriptorSet set,
                           const std::vector<VkDescriptorBufferInfo>& buffers) const {
  if (buffers.size() != bindings_.size())
    throw std::logic_error("ComputePipeline::bind: one buffer per binding expected");
  std::vector<VkWriteDescriptorSet> w(buffers.size());
  for (uint32_t i = 0; i < w.size(); ++i) {
    w[i] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
    w[i].dstSet = set;
    w[i].dstBinding = i;
    w[i].descriptorCount = 1;
    w[i].descriptorType = bindings_[i];
    w[i].pBufferInfo = &buffers[i];
  }
  vkUpdateDescriptorSets(device_, uint32_t(w.size()), w.data(), 0, nullptr);
  vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline_);
  vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, layout_, 0, 1, &set, 0, nullptr);
}

}  // namespace fieldscope
