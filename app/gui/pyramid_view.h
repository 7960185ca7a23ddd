#pragma once
// PyramidView: the 2D viewer's decode side. Each frame it turns the current view into the
// compositor's tile table (finest decoded ancestor per visible tile), and keeps the worker
// fed: while the view moves, visible tiles nearest the focus first; once it is still, the exact
// view on the viewport's own pixel grid first (with every core), then the visible tiles and a
// prefetch ring. It never waits for a decode.
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/gui/field_source.h"
#include "app/gui/inference_worker.h"
#include "cuda_interop/shared_tensor.h"
#include "render/compositor.h"
#include "render/context.h"
#include "render/tile_cache.h"
#include "render/view2d.h"

namespace fieldscope {

struct PyramidStats {
  int level = 0;
  int visibleTiles = 0;
  int visibleReady = 0;
  int cachedTiles = 0;
  int slots = 0;
  size_t atlasBytes = 0;  // the budget
  size_t usedBytes = 0;   // slots holding or receiving a tile
  uint64_t hits = 0, misses = 0;
  WorkerStats worker;
  bool exactShown = false;
  int exactRows = 0;
};

class PyramidView {
 public:
  static constexpr int kTileSize = 256;
  static constexpr int kMaxLevel = 24;
  static constexpr int kMaxWidth = 3840, kMaxHeight = 2400;
  static constexpr size_t kSlotBytes = size_t(kTileSize) * kTileSize * 4;  // 256 KB
  static int slotsForMegabytes(int mb) { return int(size_t(mb) * 1048576 / kSlotBytes); }
  // The most tiles one atlas may hold here: the compositor binds it as one storage buffer
  // (maxStorageBufferRange: 128 MB on lavapipe).
  static int maxSlots(const VulkanContext& ctx);

  // workerThreads 0: FIELDSCOPE_THREADS, else 1 for tiles (lavapipe and the UI need the other
  // core while the view moves; oversubscribed torch threads measured 5-10x slower on 2 cores)
  // and every usable core for the exact view of a resting view.
  // The atlas and exact layers are CUDA shared memory when ctx is paired with a CUDA device
  // (ctx.cudaDevice() >= 0), else host-mapped memory.
  PyramidView(const VulkanContext& ctx, int atlasSlots = 160, int workerThreads = 0);
  ~PyramidView();

  // The field to show. Tiles of earlier sources stay cached until forgetSource() (or the LRU)
  // drops them, so going back to a source shows its tiles at once.
  void setSource(std::shared_ptr<FieldSource> source);
  const std::shared_ptr<FieldSource>& source() const { return source_; }
  // The source was closed: its tiles free their slots.
  void forgetSource(uint64_t sourceUid);
  // The time index decoded from now on (video frames; 0 for still fields).
  void setTime(int64_t time);
  int64_t time() const { return time_; }
  // Time indices to decode ahead of the shown one (a playing video's next frames), in the
  // order they will be shown. Their visible tiles at the current level are asked for right
  // after the shown time's own tiles, and instead of the exact view and the prefetch ring (a
  // playing clip is shown from tiles). At most as many times as half the atlas holds.
  void setLookahead(std::vector<int64_t> times) { lookahead_ = std::move(times); }
  // True when every visible tile of the last update()'s level is decoded at `time`.
  bool timeReady(int64_t time) const;
  // A decode of the current source failed: its message (empty if none). The source is not
  // asked for again until setSource() picks another one (no retry loop).
  const std::string& error() const { return error_; }
  // The failure not yet shown to the user, once (for a dialog); then empty.
  std::string takeNewError() { return std::exchange(newError_, std::string()); }
  // A new tile budget: a new atlas of `slots` tiles; queued decodes are dropped and the tiles
  // are decoded again. The caller makes sure the GPU no longer reads the old atlas
  // (vkDeviceWaitIdle) and points the compositor at the new one. Throws (keeping the old
  // atlas) above maxSlots() or when the memory cannot be had.
  void resizeAtlas(int slots);
  // Benchmark baseline: no tiles, the whole view is decoded again after every change.
  void setNaive(bool naive) { naive_ = naive; }
  // While the view moves, each frame's exact view is queued behind its tiles, so the worker goes
  // on with it once they are in instead of waiting for the view to rest (docs/architecture.md "Tile2DView").
  void setExactWhenIdle(bool on) { exactWhenIdle_ = on; }
  // Per frame. `still`: the view has come to rest (ask for the exact view). `frame` numbers
  // this frame; frames <= completedFrame have finished on the GPU.
  ComposeParams update(const View2D& view, double focusX, double focusY, bool still, uint64_t frame,
                       uint64_t completedFrame);
  // True once the exact view for `view` has fully landed (what a still frame shows).
  bool converged(const View2D& view) const;
  // True when every visible tile of the target level is decoded.
  bool tilesComplete() const { return lastVisible_ > 0 && lastVisibleReady_ == lastVisible_; }
  PyramidStats stats() const;

  VkBuffer atlasBuffer() const { return atlas_->buffer(); }
  VkDeviceSize atlasBytes() const { return atlas_->bytes(); }
  VkBuffer exactBuffer() const { return exact_->buffer(); }
  VkDeviceSize exactLayerBytes() const { return exactLayerBytes_; }
  SharedTensor& atlas() { return *atlas_; }
  SharedBackend backend() const { return atlas_->backend(); }
  // What a frame's submit must wait on before the compositor reads the atlas / exact layers.
  std::vector<VulkanWait> vulkanWaits() const { return {atlas_->vulkanWait(), exact_->vulkanWait()}; }
  InferenceWorker& worker() { return *worker_; }

 private:
  struct ExactLayer {
    uint64_t id = 0;     // 0 = empty
    View2D view;
    uint64_t source = 0;
    int64_t time = 0;
    uint64_t lastUse = 0;
    bool used = false;
  };
  // CUDA shared memory when the context is paired with a CUDA device, else host-mapped.
  SharedBackend sharedBackend() const { return ctx_.cudaDevice() >= 0 ? SharedBackend::Cuda : SharedBackend::Host; }
  void collectResults();
  void requestWork(const View2D& view, const VisibleTiles& vt, double focusX, double focusY, bool still,
                   uint64_t completedFrame);
  // The exact job for `view` (a free layer is claimed for it), unless it has fully landed.
  void addExact(const View2D& view, uint64_t uid, uint64_t completedFrame, bool whileMoving, std::vector<WorkerJob>& jobs);

  const VulkanContext& ctx_;
  std::unique_ptr<SharedTensor> atlas_;
  std::unique_ptr<SharedTensor> exact_;
  VkDeviceSize exactLayerBytes_;
  TileCache cache_;
  std::unique_ptr<InferenceWorker> worker_;
  std::shared_ptr<FieldSource> source_;
  ExactLayer layers_[2];
  uint64_t nextExactId_ = 1;
  std::vector<WorkerJob> lastSubmitted_;
  int lastVisible_ = 0, lastVisibleReady_ = 0, lastLevel_ = 0;
  int shownLayer_ = -1, shownRows_ = 0;
  bool naive_ = false;
  bool exactWhenIdle_ = false;
  int64_t time_ = 0;
  std::set<uint64_t> failedSources_;
  std::string error_, newError_;
  bool exactMatches(const ExactLayer& l, const View2D& view) const;
  // The visible tiles of `vt` at `time` that exist (inside the image of a bounded source).
  std::vector<TileKey> visibleKeys(const VisibleTiles& vt, int64_t time) const;
  std::vector<int64_t> lookahead_;
  VisibleTiles lastTiles_;
};

}  // namespace fieldscope
