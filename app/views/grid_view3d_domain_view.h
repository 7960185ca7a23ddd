#pragma once
// GridView3DDomainView: a DomainView drawn by a GridView3D -- the forwarding every 3D domain
// view (shape, NeRF; the analytic test domain) would otherwise write again, plus a GridBaker
// for its bakes. A 3D domain view derives from it, bakes with baker().request(n, bake) (or its
// own worker and view3d().beginGrid / publishGrid), re-bakes when
// view3d().takeResolutionRequest() says so, and adds its panels (calling view3d().drawControls()
// or the single widgets), its state and its exports.
#include <nlohmann/json.hpp>

#include "app/domain/domain_view.h"
#include "app/views/grid_baker.h"
#include "app/views/grid_view3d.h"

namespace fieldscope {

class GridView3DDomainView : public DomainView {
 public:
  explicit GridView3DDomainView(const ViewServices& services, GridView3DOptions options = {})
      : view3d_(services, std::move(options)), baker_(view3d_) {}

  void drawPerf() override { view3d_.drawPerf(); }
  std::vector<std::pair<std::string, double>> perfNumbers() const override {
    auto v = view3d_.perfNumbers();
    v.emplace_back("bakes_requested", double(baker_.requested()));
    v.emplace_back("bakes_finished", double(baker_.finished()));
    v.emplace_back("last_bake_ms", baker_.lastBakeMs());
    return v;
  }
  std::string memoryLine() const override { return view3d_.memoryLine(); }
  void input(const ViewportInput& in) override { view3d_.input(in); }
  // Publishes a finished bake (at this frame boundary), then the view's update.
  void update(int width, int height, double now) override {
    baker_.poll();
    view3d_.update(width, height, now);
  }
  void record(const FrameContext& frame) override { view3d_.record(frame); }
  ShownImage shownImage() const override { return view3d_.shownImage(); }
  std::vector<VulkanWait> waits() const override { return view3d_.waits(); }
  bool animating() const override { return view3d_.animating(); }
  ViewProgress progress() const override {
    ViewProgress p = view3d_.progress();
    if (baker_.busy()) p.converged = false;
    return p;
  }
  std::string status() const override {
    const std::string bake = baker_.statusLine();
    return bake.empty() ? view3d_.status() : view3d_.status() + "  |  " + bake;
  }
  std::string takeError() override {
    std::string e = baker_.takeError();
    return e.empty() ? view3d_.takeError() : e;
  }
  std::vector<ExportKind> exports() const override { return {{"png", "PNG image", ".png"}}; }
  double exportAspect() const override { return view3d_.aspect(); }
  // "png": the view at the requested size; a derived view adds its kinds (OBJ, MP4...).
  std::shared_ptr<ExportProgress> startExport(const ExportRequest& r) override {
    if (r.kind != "png") throw std::runtime_error("this view does not export '" + r.kind + "'");
    return view3d_.exportPng(r.path, r.width, r.height);
  }
  std::string backendName() const override { return view3d_.backendName(); }
  // The view's state under "view3d" (camera, iso, clip, render, resolution); a derived view
  // adds its own entries beside it.
  nlohmann::json saveState() const override { return {{"view3d", view3d_.saveState()}}; }
  void restoreState(const nlohmann::json& state) override {
    if (!state.is_object()) throw std::runtime_error("the 3D view's state is not an object");
    if (state.contains("view3d")) view3d_.restoreState(state.at("view3d"));
  }

  GridView3D& view3d() { return view3d_; }
  const GridView3D& view3d() const { return view3d_; }
  GridBaker& baker() { return baker_; }

 protected:
  GridView3D view3d_;
  GridBaker baker_;  // after view3d_: destroyed (joined) first
};

}  // namespace fieldscope
