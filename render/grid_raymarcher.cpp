#include "render/grid_raymarcher.h"

#include <stdexcept>
#include <string>

#include "cuda_interop/vk_check.h"
#include "shaders/raymarch_coarse_spv.h"
#include "shaders/raymarch_grid_spv.h"
#include "shaders/raymarch_io.h"
#include "shaders/raymarch_volume_spv.h"

namespace fieldscope {

namespace {
constexpr VkDescriptorType kStorage = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
constexpr VkDescriptorType kUniform = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER;
constexpr uint32_t kMarchGroup = 8;   // raymarch_grid.comp's local size (x and y)
constexpr uint32_t kCoarseGroup = 4;  // raymarch_coarse.comp's local size (x, y and z)

uint32_t groups(uint32_t n, uint32_t group) { return (n + group - 1) / group; }

ComputePipeline marchPipeline(VkDevice dev, GridFormat format) {
  const std::vector<VkDescriptorType> bindings{kStorage, kStorage, kStorage, kUniform};
  if (format == GridFormat::DensityColour)
    return ComputePipeline(dev, kRaymarch_volumeSpv, sizeof(kRaymarch_volumeSpv), bindings, 0, "raymarch_volume");
  return ComputePipeline(dev, kRaymarch_gridSpv, sizeof(kRaymarch_gridSpv), bindings, 0, "raymarch_grid");
}

void computeBarrier(VkCommandBuffer cmd, VkAccessFlags src, VkPipelineStageFlags srcStage, VkAccessFlags dst,
                    VkPipelineStageFlags dstStage) {
  VkMemoryBarrier b{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
  b.srcAccessMask = src;
  b.dstAccessMask = dst;
  vkCmdPipelineBarrier(cmd, srcStage, dstStage, 0, 1, &b, 0, nullptr, 0, nullptr);
}
}  // namespace

GridRaymarcher::GridRaymarcher(const VulkanContext& ctx, GridFormat format)
    : ctx_(ctx),
      format_(format),
      march_(marchPipeline(ctx.device(), format)),
      coarse_(ctx.device(), kRaymarch_coarseSpv, sizeof(kRaymarch_coarseSpv), {kStorage, kStorage},
              sizeof(shaderio::RaymarchCoarsePush), "raymarch_coarse") {
  VkDevice dev = ctx.device();
  // Per frame slot: the march set (3 storage + 1 uniform) and the coarse set (2 storage).
  VkDescriptorPoolSize sizes[2] = {{kStorage, 5 * kFramesInFlight}, {kUniform, kFramesInFlight}};
  VkDescriptorPoolCreateInfo pi{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  pi.maxSets = 2 * kFramesInFlight;
  pi.poolSizeCount = 2;
  pi.pPoolSizes = sizes;
  vkCheck(vkCreateDescriptorPool(dev, &pi, nullptr, &pool_), "vkCreateDescriptorPool (raymarch)");
  try {
    std::array<VkDescriptorSetLayout, 2 * kFramesInFlight> layouts;
    std::array<VkDescriptorSet, 2 * kFramesInFlight> sets;
    for (int i = 0; i < kFramesInFlight; ++i) {
      layouts[2 * i] = march_.setLayout();
      layouts[2 * i + 1] = coarse_.setLayout();
    }
    VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    ai.descriptorPool = pool_;
    ai.descriptorSetCount = uint32_t(layouts.size());
    ai.pSetLayouts = layouts.data();
    vkCheck(vkAllocateDescriptorSets(dev, &ai, sets.data()), "vkAllocateDescriptorSets (raymarch)");
    for (int i = 0; i < kFramesInFlight; ++i) {
      marchSets_[i] = sets[2 * i];
      coarseSets_[i] = sets[2 * i + 1];
    }
    // Read by every invocation: a uniform buffer is ~2x faster than a storage buffer on lavapipe (§7).
    for (auto& u : uniforms_)
      u = std::make_unique<GpuBuffer>(ctx, sizeof(shaderio::RaymarchUniforms), VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT,
                                      true);
  } catch (...) {
    vkDestroyDescriptorPool(dev, pool_, nullptr);
    throw;
  }
}

GridRaymarcher::~GridRaymarcher() { vkDestroyDescriptorPool(ctx_.device(), pool_, nullptr); }

void GridRaymarcher::setGrid(const SharedTensor& grid, float halfExtent) {
  const auto& s = grid.shape();
  const int channels = gridChannels(format_);
  const bool shapeOk = channels == 1 ? s.size() == 3 : s.size() == 4 && s[3] == channels;
  if (grid.dtype() != SharedScalar::Float32 || !shapeOk || s[0] != s[1] || s[1] != s[2] || s[0] < 2)
    throw std::invalid_argument(channels == 1
                                    ? "GridRaymarcher: the grid must be an n x n x n float32 tensor, n >= 2"
                                    : "GridRaymarcher: the grid must be an n x n x n x 4 float32 tensor, n >= 2");
  if (!(halfExtent > 0)) throw std::invalid_argument("GridRaymarcher: the box half extent must be positive");
  const int n = int(s[0]);
  if (!cellBounds_ || n != geometry_.n) {
    RaymarchGridGeometry g{n, halfExtent};
    const VkDeviceSize cells = VkDeviceSize(g.coarseCells());
    cellBounds_ = std::make_shared<GpuBuffer>(ctx_, cells * cells * cells * 2 * sizeof(float),
                                             VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, false);
  }
  grid_ = grid.buffer();
  gridBytes_ = grid.bytes();
  geometry_ = {n, halfExtent};
  coarseStale_ = true;
}

void GridRaymarcher::record(VkCommandBuffer cmd, OffscreenImage& target, const CameraFrame& camera,
                            const RaymarchSettings& settings, int slot) {
  record(cmd, target, int(target.width()), int(target.height()), 0.0f, camera, settings, slot);
}

void GridRaymarcher::record(VkCommandBuffer cmd, OffscreenImage& target, int width, int height, float aspect,
                            const CameraFrame& camera, const RaymarchSettings& settings, int slot) {
  if (!hasGrid()) throw std::logic_error("GridRaymarcher::record: no grid (setGrid first)");
  if (width < 1 || height < 1 || uint32_t(width) > target.width() || uint32_t(height) > target.height())
    throw std::invalid_argument("GridRaymarcher::record: the picture must fit the target image");
  const uint32_t W = uint32_t(width), H = uint32_t(height);
  const VkDeviceSize outBytes = VkDeviceSize(W) * H * 4;
  if (!outputs_[slot] || outputs_[slot]->size() < outBytes)  // this slot's previous frame has finished
    outputs_[slot] = std::make_unique<GpuBuffer>(
        ctx_, outBytes, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT, false);
  dispatch(cmd, raymarchUniformsForRows(camera, settings, geometry_, width, height, 0, height, aspect),
           outputs_[slot]->buffer(), outBytes, slot, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_READ_BIT);
  // Like the compositor: a plain buffer written by the shader, copied into the viewport image
  // (image stores measured slower on lavapipe).
  target.transition(cmd, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
  VkBufferImageCopy copy{};
  copy.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
  copy.imageExtent = {W, H, 1};
  vkCmdCopyBufferToImage(cmd, outputs_[slot]->buffer(), target.image(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &copy);
}

void GridRaymarcher::dispatch(VkCommandBuffer cmd, const shaderio::RaymarchUniforms& uniforms, VkBuffer out,
                              VkDeviceSize outBytes, int slot, VkPipelineStageFlags dstStage, VkAccessFlags dstAccess) {
  if (!hasGrid()) throw std::logic_error("GridRaymarcher::dispatch: no grid (setGrid first)");
  const uint32_t W = uint32_t(uniforms.sizeInfo.x), H = uint32_t(uniforms.sizeInfo.y);
  if (VkDeviceSize(W) * H * 4 > outBytes) throw std::invalid_argument("GridRaymarcher::dispatch: output too small");
  *static_cast<shaderio::RaymarchUniforms*>(uniforms_[slot]->mapped()) = uniforms;
  slotCellBounds_[slot] = cellBounds_;  // this slot's previous frame has finished: its grid may go

  // Host writes (torch's grid on the host backend, the uniforms) become visible with the submit;
  // the barrier orders them for the compute stage explicitly, as the compositor does.
  computeBarrier(cmd, VK_ACCESS_HOST_WRITE_BIT, VK_PIPELINE_STAGE_HOST_BIT,
                 VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_UNIFORM_READ_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT);
  const VkDescriptorBufferInfo gridInfo{grid_, 0, gridBytes_};
  const VkDescriptorBufferInfo coarseInfo{cellBounds_->buffer(), 0, cellBounds_->size()};
  if (coarseStale_) {
    // Earlier frames (same queue) may still read the skipping grid: write after their reads.
    computeBarrier(cmd, VK_ACCESS_SHADER_READ_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT,
                   VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT);
    coarse_.bind(cmd, coarseSets_[slot], {gridInfo, coarseInfo});
    shaderio::RaymarchCoarsePush push{};
    const int cells = geometry_.coarseCells();
    push.sizeInfo = glm::ivec4(geometry_.n, RAYMARCH_SKIP_CELL, cells, gridChannels(format_));
    vkCmdPushConstants(cmd, coarse_.layout(), VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof(push), &push);
    const uint32_t g = groups(uint32_t(cells), kCoarseGroup);
    vkCmdDispatch(cmd, g, g, g);
    computeBarrier(cmd, VK_ACCESS_SHADER_WRITE_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT,
                   VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT);
    coarseStale_ = false;
  }
  march_.bind(cmd, marchSets_[slot],
              {{out, 0, VkDeviceSize(W) * H * 4},
               gridInfo,
               coarseInfo,
               {uniforms_[slot]->buffer(), 0, sizeof(shaderio::RaymarchUniforms)}});
  vkCmdDispatch(cmd, groups(W, kMarchGroup), groups(H, kMarchGroup), 1);
  computeBarrier(cmd, VK_ACCESS_SHADER_WRITE_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, dstAccess, dstStage);
}

}  // namespace fieldscope
