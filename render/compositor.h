#pragma once
// Compositor: the compute pass that draws the viewport every frame from already-decoded
// data (tile atlas + exact layer), never waiting for the decoder (docs/architecture.md "Data flow of one decode").
#include <vulkan/vulkan.h>

#include <array>
#include <memory>
#include <vector>

#include "render/compute_pipeline.h"
#include "render/context.h"
#include "render/direct_copy.h"
#include "render/frames_in_flight.h"
#include "render/gpu_buffer.h"
#include "render/offscreen_image.h"
#include "render/tile_pyramid.h"

namespace fieldscope {

struct TileTableEntry {
  int32_t slot = -1;       // atlas slot of the finest decoded ancestor, -1 = nothing yet
  int32_t levelDelta = 0;  // target level minus the ancestor's level
  int32_t subX = 0, subY = 0;  // tile position inside the ancestor (mod 2^levelDelta)
};

struct ComposeParams {
  VisibleTiles tiles;
  std::vector<TileTableEntry> table;  // tiles.cols * tiles.rows, row-major
  int exactRows = 0;                  // rows of the exact layer to show (0 = none)
  int exactStride = 0;                // exact layer row stride, pixels
  VkDeviceSize exactOffset = 0;       // byte offset of the exact layer in its buffer
  bool nearest = false;
  std::array<float, 4> background{0.08f, 0.08f, 0.09f, 1.0f};
  // Only the columns [columnBegin, columnEnd) of the target are written (-1: to the right edge);
  // the rest keeps what an earlier pass drew there. Two passes of two pyramids side by side make
  // the compare divider (docs/architecture.md "The super-resolution domain").
  int columnBegin = 0, columnEnd = -1;
  // Copy into direct.image at (direct.x + columnBegin, direct.y) instead of into the target (which
  // is then left as it was); none: into the target.
  DirectCopy direct;
};

class Compositor {
 public:
  static constexpr int kMaxTableEntries = 512;  // COMPOSE_MAX_TABLE_ENTRIES (shaders/compose_io.h)

  Compositor(const VulkanContext& ctx, VkBuffer atlas, VkDeviceSize atlasBytes, int tileSize, VkBuffer exact,
             VkDeviceSize exactLayerBytes);
  ~Compositor();
  Compositor(const Compositor&) = delete;
  Compositor& operator=(const Compositor&) = delete;

  // Records the pass into `target` (left in TRANSFER_DST layout), or into params.direct.image;
  // `target` gives the size either way. `frameSlot` < kFramesInFlight
  // selects per-frame resources; the caller guarantees that slot's previous frame finished.
  void record(VkCommandBuffer cmd, OffscreenImage& target, const ComposeParams& params, int frameSlot);
  // GPU time of the last completed pass in this frame slot, ms (-1 when unknown).
  double gpuMilliseconds(int frameSlot) const;
  // Reads tiles from another atlas from the next record() on (a new tile cache budget); no
  // frame may still be running with the old one.
  void setAtlas(VkBuffer atlas, VkDeviceSize atlasBytes) {
    atlas_ = atlas;
    atlasBytes_ = atlasBytes;
  }
  int tileSize() const { return tileSize_; }

 private:
  const VulkanContext& ctx_;
  VkBuffer atlas_, exact_;
  VkDeviceSize atlasBytes_, exactLayerBytes_;
  int tileSize_;
  std::unique_ptr<ComputePipeline> pipeline_;  // compose.comp with its set layout
  VkDescriptorPool pool_ = VK_NULL_HANDLE;
  std::array<VkDescriptorSet, kFramesInFlight> sets_{};
  std::array<std::unique_ptr<GpuBuffer>, kFramesInFlight> uniforms_;
  VkQueryPool queries_ = VK_NULL_HANDLE;
  std::array<bool, kFramesInFlight> queryWritten_{};
  std::array<std::unique_ptr<GpuBuffer>, kFramesInFlight> outputs_;  // W*H RGBA8 per frame slot
  float timestampPeriodNs_ = 1.0f;
};

}  // namespace fieldscope
