#pragma once
// Tile2DView: the reusable 2D view (docs/architecture.md "Tile2DView") -- a tile pyramid of a
// FieldSource decoded by its own torch worker into shared memory, composed every frame by the
// Vulkan compositor, with the 2D navigation (smooth wheel zoom about the cursor, drag, keys)
// and the exact view when still. Used by the image domain (and SR and video next); a domain
// view owns one and adds its panels. Torch-free header.
#include <array>
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/domain/domain_view.h"
#include "app/gui/field_source.h"
#include "app/gui/pyramid_view.h"
#include "render/compositor.h"
#include "render/view2d.h"
#include "render/zoom_animator.h"

namespace fieldscope {

struct ExportProgress;

class Tile2DView {
 public:
  explicit Tile2DView(const ViewServices& services);
  ~Tile2DView();
  Tile2DView(const Tile2DView&) = delete;
  Tile2DView& operator=(const Tile2DView&) = delete;

  // The field shown. Tiles of sources set before stay cached until forgetSource().
  void setSource(std::shared_ptr<FieldSource> source);
  void forgetSource(uint64_t sourceUid) { pyramid_->forgetSource(sourceUid); }
  const std::shared_ptr<FieldSource>& source() const { return pyramid_->source(); }
  void setTime(int64_t time) { pyramid_->setTime(time); }
  // Times to decode ahead of the shown one, and whether a time is fully decoded (PyramidView).
  void setLookahead(std::vector<int64_t> times) { pyramid_->setLookahead(std::move(times)); }
  bool timeReady(int64_t time) const { return pyramid_->timeReady(time); }
  // Nearest-texel composition (self-test patterns).
  void setNearest(bool nearest) { nearest_ = nearest; }
  // Tiles only, never the exact view on the viewport's grid (self-test patterns).
  void setExactViews(bool on) {
    exactViews_ = on;
    pyramid_->setExactWhenIdle(on);
  }

  // Navigation from the viewport; a click lands in takeClick() as a field position.
  void input(const ViewportInput& in);
  std::optional<std::pair<double, double>> takeClick() { return std::exchange(click_, std::nullopt); }
  void resetView();
  View2D& view() { return view_; }
  const View2D& view() const { return view_; }
  // The view to take once the viewport has a size (restored sessions, --view): centre and zoom
  // relative to fit.
  void setInitialView(double cx, double cy, double zoom);
  // Draws only the viewport columns [begin, end) (-1: to the right edge); the rest of the target
  // keeps what was drawn before (a compare divider: two views side by side).
  void setColumns(int begin, int end) {
    columnBegin_ = begin;
    columnEnd_ = end;
  }
  // Pins the view (self-test): applied every frame whatever the input.
  void pinView(std::optional<View2D> view) { pinned_ = std::move(view); }

  void update(int width, int height, double now);
  void record(const FrameContext& frame);
  std::vector<VulkanWait> waits() const { return pyramid_->vulkanWaits(); }
  bool animating() const { return zoomAnimator_.active(); }
  // The last record() showed the view of the one before, nothing animating, exact views on: the
  // exact view is asked for and wakes the app when it lands (DomainView::settled).
  bool settled() const { return settled_; }
  ViewProgress progress() const;
  // "zoom x10  level 4  tiles 12/12  exact", with the decode error when there is one.
  std::string status() const;
  std::string takeError() { return pyramid_->takeNewError(); }
  const std::string& note() const { return note_; }  // e.g. "zoom limit reached"

  nlohmann::json saveView() const;           // {"cx", "cy", "zoom"}
  void restoreView(const nlohmann::json& j);  // throws naming the bad entry

  // PNG export of the current view at width x height (decoded exactly on the worker thread).
  std::shared_ptr<ExportProgress> exportPng(const std::string& path, int width, int height,
                                            const std::string& sidecarJson,
                                            const std::optional<Region>& region = std::nullopt);
  double aspect() const { return double(view_.height()) / std::max(1, view_.width()); }
  void setTileCacheSlots(int slots);
  PyramidStats stats() const { return pyramid_->stats(); }
  void drawPerf();  // ImGui lines for the perf panel
  std::string memoryLine() const;
  std::string backendName() const;
  PyramidView& pyramid() { return *pyramid_; }

 private:
  void zoomAt(double px, double py, double factor, double now);

  const VulkanContext& ctx_;
  std::unique_ptr<PyramidView> pyramid_;
  std::unique_ptr<Compositor> compositor_;
  View2D view_;
  ZoomAnimator zoomAnimator_;
  std::optional<std::pair<double, double>> click_;
  std::optional<std::array<double, 3>> initialView_;
  std::optional<View2D> pinned_;
  std::optional<View2D> lastRecorded_;  // the view of the previous record()
  bool laidOut_ = false, nearest_ = false, exactViews_ = true, settled_ = false;
  int columnBegin_ = 0, columnEnd_ = -1;
  double lastGpuMs_ = -1;
  std::string note_;
};

}  // namespace fieldscope
