#pragma once
// GridRaymarcher: the compute pass of the 3D view (GridView3D, docs/architecture.md "The 3D view's parts"). Every
// frame it ray-marches a baked n^3 grid that torch wrote into a SharedTensor, from whatever
// camera, iso-level and clip plane the view has now -- none of which needs a re-bake. Like the
// Compositor it records into the caller's command buffer (the caller submits, waiting on the
// grid's SharedTensor::vulkanWait() on the CUDA backend) and leaves the viewport image in
// TRANSFER_DST layout. A coarse grid of 8^3-voxel cells (shaders/raymarch_coarse.comp: each
// cell's maximum and largest neighbour difference) lets rays jump over empty cells and take
// Lipschitz-bounded steps in the others; it is rebuilt in the first record() after the grid
// changed, never for a new iso-level.
//
// The same pass marches a density + colour grid (GridFormat::DensityColour) with
// shaders/raymarch_volume.comp instead, emission-absorption (render/volume_raymarcher.h); the
// skipping grid then holds each cell's maximum sigma. Everything else -- uniforms, frame slots,
// bands -- is shared.
//
// Frames in flight: per-frame resources are indexed by the frame slot, and what a slot's frame
// used (the skipping grid included) stays alive until that slot records again -- so a new grid,
// even of another size, can be set between any two frames without waiting for the GPU.
#include <vulkan/vulkan.h>

#include <array>
#include <memory>

#include "cuda_interop/shared_tensor.h"
#include "render/compute_pipeline.h"
#include "render/context.h"
#include "render/frames_in_flight.h"
#include "render/gpu_buffer.h"
#include "render/offscreen_image.h"
#include "render/orbit_camera.h"
#include "render/raymarch_settings.h"

namespace fieldscope {

class GridRaymarcher {
 public:
  explicit GridRaymarcher(const VulkanContext& ctx, GridFormat format = GridFormat::Scalar);
  ~GridRaymarcher();
  GridRaymarcher(const GridRaymarcher&) = delete;
  GridRaymarcher& operator=(const GridRaymarcher&) = delete;

  // Marches `grid` (an n x n x n float32 SharedTensor, n >= 2, laid out as RaymarchGridGeometry
  // says; n x n x n x 4 for DensityColour) over [-halfExtent, halfExtent]^3 from the next
  // record() on. The tensor must outlive
  // the frames that read it (the caller tracks that); the skipping grid of another n is a new
  // buffer, the old one lives on with the frames in flight that use it.
  void setGrid(const SharedTensor& grid, float halfExtent);
  // torch rewrote the grid's values: the next record() rebuilds the skipping grid first.
  void gridChanged() { coarseStale_ = true; }
  bool hasGrid() const { return grid_ != VK_NULL_HANDLE; }
  const RaymarchGridGeometry& geometry() const { return geometry_; }
  GridFormat format() const { return format_; }

  // Records the pass into `target`. `frameSlot` < kFramesInFlight selects per-frame resources;
  // the caller guarantees that slot's previous frame finished. Throws without a grid.
  void record(VkCommandBuffer cmd, OffscreenImage& target, const CameraFrame& camera, const RaymarchSettings& settings,
              int frameSlot);
  // The same into the top-left width x height pixels of `target` (at most its size; the rest is
  // left alone), the picture having the shape `aspect` (width / height) on screen: a reduced
  // picture that is then stretched over a viewport passes the viewport's aspect.
  void record(VkCommandBuffer cmd, OffscreenImage& target, int width, int height, float aspect,
              const CameraFrame& camera, const RaymarchSettings& settings, int frameSlot);
  // The pass with the caller's uniforms (raymarchUniforms / raymarchUniformsForRows) into
  // `out`: sizeInfo.x * sizeInfo.y packed RGBA8 from offset 0, then a barrier that makes the
  // writes visible to (dstStage, dstAccess) -- e.g. HOST / HOST_READ for a read-back.
  void dispatch(VkCommandBuffer cmd, const shaderio::RaymarchUniforms& uniforms, VkBuffer out, VkDeviceSize outBytes,
                int frameSlot, VkPipelineStageFlags dstStage, VkAccessFlags dstAccess);

 private:
  const VulkanContext& ctx_;
  GridFormat format_;
  ComputePipeline march_;
  ComputePipeline coarse_;
  VkDescriptorPool pool_ = VK_NULL_HANDLE;
  std::array<VkDescriptorSet, kFramesInFlight> marchSets_{};
  std::array<VkDescriptorSet, kFramesInFlight> coarseSets_{};
  std::array<std::unique_ptr<GpuBuffer>, kFramesInFlight> uniforms_;
  std::array<std::unique_ptr<GpuBuffer>, kFramesInFlight> outputs_;  // W*H RGBA8 per frame slot
  VkBuffer grid_ = VK_NULL_HANDLE;
  VkDeviceSize gridBytes_ = 0;
  RaymarchGridGeometry geometry_;
  std::shared_ptr<GpuBuffer> cellBounds_;  // coarseCells()^3 x (max value, max neighbour difference)
  // The skipping grid each slot's last frame read: kept alive until that slot records again.
  std::array<std::shared_ptr<GpuBuffer>, kFramesInFlight> slotCellBounds_;
  bool coarseStale_ = true;
};

}  // namespace fieldscope
