#include "app/views/tile2d_view.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "app/gui/export_job.h"
#include "app/views/view_placement.h"
#include "render/context.h"

namespace fieldscope {

Tile2DView::Tile2DView(const ViewServices& services) : ctx_(services.ctx) {
  pyramid_ = std::make_unique<PyramidView>(ctx_, services.tileCacheSlots);
  pyramid_->setExactWhenIdle(exactViews_);
  pyramid_->setNaive(services.naiveDecode);
  if (services.wake) pyramid_->worker().setOnLanded(services.wake);
  compositor_ = std::make_unique<Compositor>(ctx_, pyramid_->atlasBuffer(), pyramid_->atlasBytes(),
                                             PyramidView::kTileSize, pyramid_->exactBuffer(),
                                             pyramid_->exactLayerBytes());
}

Tile2DView::~Tile2DView() {
  // Frames in flight may still read the atlas; the worker stops before its memory goes.
  vkDeviceWaitIdle(ctx_.device());
  compositor_.reset();
  pyramid_.reset();
}

void Tile2DView::setSource(std::shared_ptr<FieldSource> source) { pyramid_->setSource(std::move(source)); }

void Tile2DView::zoomAt(double px, double py, double factor, double now) {
  if (!zoomAnimator_.addStep(view_, px, py, factor, now)) {
    char note[64];
    std::snprintf(note, sizeof(note), "zoom limit reached (x%g)", factor > 1 ? View2D::kMaxZoom : View2D::kMinZoom);
    note_ = note;
  } else {
    note_.clear();
  }
}

void Tile2DView::resetView() {
  zoomAnimator_.cancel();
  view_.reset();
  note_.clear();
}

void Tile2DView::input(const ViewportInput& in) {
  if (in.wheel != 0 && in.hovered) zoomAt(in.mouseX, in.mouseY, std::pow(1.2, in.wheel), in.now);
  if (in.dragX != 0 || in.dragY != 0) view_.pan(in.dragX, in.dragY);
  if (in.panDragX != 0 || in.panDragY != 0) view_.pan(in.panDragX, in.panDragY);  // any drag pans in 2D
  if (in.clicked) click_ = std::make_pair(view_.toFieldX(in.mouseX), view_.toFieldY(in.mouseY));
  if (in.doubleClicked || in.resetKey) resetView();
  const double cx = view_.width() * 0.5, cy = view_.height() * 0.5;
  if (in.zoomInKey) zoomAt(cx, cy, 1.5, in.now);
  if (in.zoomOutKey) zoomAt(cx, cy, 1 / 1.5, in.now);
  const double step = 40.0;
  if (in.panKeyX != 0 || in.panKeyY != 0) view_.pan(-in.panKeyX * step, -in.panKeyY * step);
  if (in.scriptedZoom != 1.0) view_.zoomAbout(cx, cy, in.scriptedZoom);
  if (in.scriptedPanX != 0 || in.scriptedPanY != 0) view_.pan(in.scriptedPanX, in.scriptedPanY);
}

void Tile2DView::setInitialView(double cx, double cy, double zoom) {
  if (!std::isfinite(cx) || !std::isfinite(cy) || !(zoom > 0) || !std::isfinite(zoom))
    throw std::runtime_error("view: centre and zoom must be finite, zoom > 0");
  initialView_ = std::array<double, 3>{cx, cy, zoom};
  if (laidOut_) update(view_.width(), view_.height(), 0);
}

void Tile2DView::update(int width, int height, double now) {
  width = std::clamp(width, 1, PyramidView::kMaxWidth);
  height = std::clamp(height, 1, PyramidView::kMaxHeight);
  if (width != view_.width() || height != view_.height() || !laidOut_) {
    view_.setViewport(width, height);
    if (!laidOut_) view_.reset();
    laidOut_ = true;
  }
  if (initialView_) {
    const auto [cx, cy, zoom] = *initialView_;
    initialView_.reset();
    view_.reset();
    view_.set(cx, cy, view_.unitsPerPixel() / zoom);
  }
  if (zoomAnimator_.active()) zoomAnimator_.update(view_, now);
  if (pinned_) view_ = *pinned_;
}

void Tile2DView::record(const FrameContext& f) {
  // The view rests for the decoder as soon as a frame shows the same view as the one before
  // with no zoom animation running (rest first, docs/architecture.md "Worker"); the app's own
  // `still` (a pause in the input) comes later.
  const bool settled = lastRecorded_ && *lastRecorded_ == view_ && !zoomAnimator_.active();
  lastRecorded_ = view_;
  settled_ = settled && exactViews_;
  ComposeParams params =
      pyramid_->update(view_, f.focusX, f.focusY, (f.still || settled) && exactViews_, f.frame, f.completedFrame);
  params.nearest = nearest_;
  params.columnBegin = columnBegin_;
  params.columnEnd = columnEnd_;
  if (f.direct.image != VK_NULL_HANDLE && f.directDrawn) {  // straight into the swapchain image: no blit
    params.direct = f.direct;
    *f.directDrawn = true;
  }
  lastGpuMs_ = compositor_->gpuMilliseconds(f.slot);  // this slot's previous pass
  compositor_->record(f.cmd, *f.target, params, f.slot);
}

ViewProgress Tile2DView::progress() const {
  ViewProgress p;
  p.detailComplete = pyramid_->tilesComplete();
  p.converged = pyramid_->converged(view_) || !pyramid_->error().empty();
  p.decodedUnits = pyramid_->stats().worker.tilesDecoded;
  p.gpuPassMs = lastGpuMs_;
  return p;
}

std::string Tile2DView::status() const {
  const PyramidStats s = pyramid_->stats();
  char buf[160];
  std::snprintf(buf, sizeof(buf), "zoom x%.4g  level %d  tiles %d/%d%s", view_.zoom(), s.level, s.visibleReady,
                s.visibleTiles, s.exactShown && s.exactRows >= view_.height() ? "  exact" : "");
  std::string line = buf;
  if (pyramid_->source())
    if (const std::string note = pyramid_->source()->progressNote(); !note.empty()) line += "  |  " + note;
  if (!pyramid_->error().empty()) line += "  |  decode failed: " + pyramid_->error();
  return line;
}

nlohmann::json Tile2DView::saveView() const {
  return viewPlacementToJson({view_.centerX(), view_.centerY(), view_.zoom()});
}

void Tile2DView::restoreView(const nlohmann::json& j) {
  const ViewPlacement p = viewPlacementFromJson(j);
  setInitialView(p.cx, p.cy, p.zoom);
}

std::shared_ptr<ExportProgress> Tile2DView::exportPng(const std::string& path, int width, int height,
                                                      const std::string& sidecarJson, const std::optional<Region>& region) {
  if (!pyramid_->source()) throw std::runtime_error("nothing to export");
  auto progress = std::make_shared<ExportProgress>();
  pyramid_->worker().runTask(
      makeExportTask(pyramid_->source(), region.value_or(view_.region()), width, height, path, sidecarJson, progress));
  return progress;
}

void Tile2DView::setTileCacheSlots(int slots) {
  vkDeviceWaitIdle(ctx_.device());  // frames in flight read the old atlas
  pyramid_->resizeAtlas(slots);
  compositor_->setAtlas(pyramid_->atlasBuffer(), pyramid_->atlasBytes());
}

std::string Tile2DView::backendName() const { return sharedBackendName(pyramid_->backend()); }

std::string Tile2DView::memoryLine() const {
  const PyramidStats p = pyramid_->stats();
  char buf[128];
  std::snprintf(buf, sizeof(buf), "in use: %.1f of %.1f MB (%d of %d tiles decoded)", p.usedBytes / 1048576.0,
                p.atlasBytes / 1048576.0, p.cachedTiles, p.slots);
  return buf;
}

void Tile2DView::drawPerf() {
  if (lastGpuMs_ >= 0) ImGui::Text("compositor pass %.2f ms", lastGpuMs_);
  const PyramidStats p = pyramid_->stats();
  ImGui::Text("pyramid level %d, visible tiles %d/%d", p.level, p.visibleReady, p.visibleTiles);
  ImGui::Text("tile decode %.1f ms, queue %zu, decoded %llu, failed %llu", p.worker.lastTileMs, p.worker.queued,
              (unsigned long long)p.worker.tilesDecoded, (unsigned long long)p.worker.failures);
  ImGui::Text("exact view decode %.0f ms%s", p.worker.lastExactMs, p.exactShown ? " (shown)" : "");
  const double total = double(p.hits + p.misses);
  ImGui::Text("tile cache %.1f / %.1f MB (%d/%d tiles), hit rate %.0f%%", p.usedBytes / 1048576.0,
              p.atlasBytes / 1048576.0, p.cachedTiles, p.slots, total > 0 ? 100.0 * p.hits / total : 0.0);
}

}  // namespace fieldscope
