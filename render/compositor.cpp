#include "render/compositor.h"

#include <algorithm>
#include <cstring>

#include "cuda_interop/vk_check.h"
#include "render/compute_pipeline.h"
#include "shaders/compose_io.h"
#include "shaders/compose_spv.h"

namespace fieldscope {

namespace {
using ParamsBlock = shaderio::ComposeUniforms;  // compose.comp's Params, declared once in shaders/compose_io.h
static_assert(Compositor::kMaxTableEntries == COMPOSE_MAX_TABLE_ENTRIES, "table size differs from the shader's");
}  // namespace

Compositor::Compositor(const VulkanContext& ctx, VkBuffer atlas, VkDeviceSize atlasBytes, int tileSize, VkBuffer exact,
                       VkDeviceSize exactLayerBytes)
    : ctx_(ctx), atlas_(atlas), exact_(exact), atlasBytes_(atlasBytes), exactLayerBytes_(exactLayerBytes),
      tileSize_(tileSize) {
  VkDevice dev = ctx.device();
  // out, atlas, exact layer, Params (compose.comp's bindings 0..3).
  pipeline_ = std::make_unique<ComputePipeline>(
      dev, kComposeSpv, sizeof(kComposeSpv),
      std::vector<VkDescriptorType>{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                                    VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER},
      0, "compose");

  VkDescriptorPoolSize sizes[2] = {{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 3 * kFramesInFlight},
                                   {VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, kFramesInFlight}};
  VkDescriptorPoolCreateInfo pi{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  pi.maxSets = kFramesInFlight;
  pi.poolSizeCount = 2;
  pi.pPoolSizes = sizes;
  vkCheck(vkCreateDescriptorPool(dev, &pi, nullptr, &pool_), "vkCreateDescriptorPool");
  std::array<VkDescriptorSetLayout, kFramesInFlight> layouts;
  layouts.fill(pipeline_->setLayout());
  VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
  ai.descriptorPool = pool_;
  ai.descriptorSetCount = kFramesInFlight;
  ai.pSetLayouts = layouts.data();
  vkCheck(vkAllocateDescriptorSets(dev, &ai, sets_.data()), "vkAllocateDescriptorSets");
  for (auto& u : uniforms_)
    u = std::make_unique<GpuBuffer>(ctx, sizeof(ParamsBlock), VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT, true);

  VkPhysicalDeviceProperties props;
  vkGetPhysicalDeviceProperties(ctx.physical(), &props);
  timestampPeriodNs_ = props.limits.timestampPeriod;
  VkQueryPoolCreateInfo qi{VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO};
  qi.queryType = VK_QUERY_TYPE_TIMESTAMP;
  qi.queryCount = 2 * kFramesInFlight;
  if (props.limits.timestampComputeAndGraphics)
    vkCheck(vkCreateQueryPool(dev, &qi, nullptr, &queries_), "vkCreateQueryPool");
}

Compositor::~Compositor() {
  VkDevice dev = ctx_.device();
  if (queries_) vkDestroyQueryPool(dev, queries_, nullptr);
  vkDestroyDescriptorPool(dev, pool_, nullptr);
}

void Compositor::record(VkCommandBuffer cmd, OffscreenImage& target, const ComposeParams& p, int slot) {
  auto* block = static_cast<ParamsBlock*>(uniforms_[slot]->mapped());
  const int entries = std::min<int>(static_cast<int>(p.table.size()), kMaxTableEntries);
  block->sizeInfo[0] = static_cast<int32_t>(target.width());
  block->sizeInfo[1] = static_cast<int32_t>(target.height());
  block->sizeInfo[2] = tileSize_;
  block->sizeInfo[3] = p.tiles.cols;
  // A table that does not fit (impossible for viewports up to 4096^2) shows background.
  block->tableInfo[0] = p.tiles.cols * p.tiles.rows <= kMaxTableEntries ? p.tiles.rows : 0;
  block->tableInfo[1] = p.exactRows;
  block->tableInfo[2] = p.exactStride;
  const bool direct = p.direct.image != VK_NULL_HANDLE, swapRB = direct && p.direct.bgra;
  block->tableInfo[3] = (p.nearest ? 1 : 0) | (swapRB ? 2 : 0);
  block->view[0] = static_cast<float>(p.tiles.originX);
  block->view[1] = static_cast<float>(p.tiles.originY);
  block->view[2] = static_cast<float>(p.tiles.pixelInTiles);
  block->view[3] = 0.f;
  uint32_t bg = 0;
  for (int c = 0; c < 4; ++c) bg |= uint32_t(std::clamp(p.background[c], 0.f, 1.f) * 255.f + 0.5f) << (8 * c);
  block->background[0] = bg;
  for (int i = 0; i < entries; ++i) {
    const TileTableEntry& e = p.table[i];
    block->entries[i][0] = e.slot;
    block->entries[i][1] = e.levelDelta;
    block->entries[i][2] = e.subX;
    block->entries[i][3] = e.subY;
  }

  const VkDeviceSize outBytes = VkDeviceSize(target.width()) * target.height() * 4;
  if (!outputs_[slot] || outputs_[slot]->size() < outBytes)  // this slot's previous frame has finished
    outputs_[slot] = std::make_unique<GpuBuffer>(
        ctx_, outBytes, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT, false);

  // A fully landed exact view is the viewport as it is: copy it, no shader needed (unless its
  // bytes must be reordered for the destination).
  const bool exactOnly =
      p.exactRows >= int(target.height()) && p.exactStride >= int(target.width()) && !swapRB;
  const int W = int(target.width());
  const int col0 = std::clamp(p.columnBegin, 0, W), col1 = p.columnEnd < 0 ? W : std::clamp(p.columnEnd, col0, W);
  VkBufferImageCopy copy{};
  copy.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
  copy.imageOffset = {col0 + (direct ? p.direct.x : 0), direct ? p.direct.y : 0, 0};
  copy.imageExtent = {uint32_t(col1 - col0), target.height(), 1};
  copy.bufferOffset = VkDeviceSize(col0) * 4;
  copy.bufferRowLength = uint32_t(W);
  VkBuffer source = outputs_[slot]->buffer();
  if (exactOnly) {
    source = exact_;
    copy.bufferOffset = p.exactOffset + VkDeviceSize(col0) * 4;
    copy.bufferRowLength = uint32_t(p.exactStride);
  }

  // Host writes to the shared tensors (torch) and the uniform are made visible by the
  // submit itself; this barrier orders them for the compute and transfer stages explicitly.
  VkMemoryBarrier hostToShader{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
  hostToShader.srcAccessMask = VK_ACCESS_HOST_WRITE_BIT;
  hostToShader.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_UNIFORM_READ_BIT | VK_ACCESS_TRANSFER_READ_BIT;
  vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_HOST_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                       0, 1, &hostToShader, 0, nullptr, 0, nullptr);
  if (queries_) {
    vkCmdResetQueryPool(cmd, queries_, 2 * slot, 2);
    vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, queries_, 2 * slot);
  }
  if (!exactOnly) {
    VkDescriptorBufferInfo out{outputs_[slot]->buffer(), 0, outBytes};
    VkDescriptorBufferInfo atlas{atlas_, 0, atlasBytes_};
    VkDescriptorBufferInfo exact{exact_, p.exactOffset, exactLayerBytes_};
    VkDescriptorBufferInfo uni{uniforms_[slot]->buffer(), 0, sizeof(ParamsBlock)};
    pipeline_->bind(cmd, sets_[slot], {out, atlas, exact, uni});
    const uint32_t columnsPerGroup = 16 * COMPOSE_PIXELS_PER_INVOCATION;  // compose.comp's main()
    vkCmdDispatch(cmd, (target.width() + columnsPerGroup - 1) / columnsPerGroup, (target.height() + 15) / 16, 1);
    VkMemoryBarrier toCopy{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    toCopy.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
    toCopy.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &toCopy, 0,
                         nullptr, 0, nullptr);
  }
  if (direct || target.layout() == VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL) {
    // An earlier pass of this frame may have copied into the same image (the other side of a divider).
    VkMemoryBarrier afterCopy{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    afterCopy.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    afterCopy.dstAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &afterCopy, 0,
                         nullptr, 0, nullptr);
  }
  if (!direct) target.transition(cmd, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
  if (col1 > col0)
    vkCmdCopyBufferToImage(cmd, source, direct ? p.direct.image : target.image(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                           1, &copy);
  if (queries_) {
    vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, queries_, 2 * slot + 1);
    queryWritten_[slot] = true;
  }
}

double Compositor::gpuMilliseconds(int slot) const {
  if (!queries_ || !queryWritten_[slot]) return -1.0;
  uint64_t t[2] = {0, 0};
  if (vkGetQueryPoolResults(ctx_.device(), queries_, 2 * slot, 2, sizeof(t), t, sizeof(uint64_t),
                            VK_QUERY_RESULT_64_BIT) != VK_SUCCESS)
    return -1.0;
  return double(t[1] - t[0]) * timestampPeriodNs_ * 1e-6;
}

}  // namespace fieldscope
