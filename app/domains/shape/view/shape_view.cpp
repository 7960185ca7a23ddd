#include "app/domains/shape/view/shape_view.h"

#include <torch/torch.h>

#include <algorithm>
#include <filesystem>

#include "app/domains/shape/mesh_export_job.h"
#include "cuda_interop/shared_tensor_torch.h"

namespace fieldscope {

namespace {
constexpr int kPreviewN = 48;

GridView3DOptions shapeViewOptions() {
  GridView3DOptions o;
  o.iso = IsoScale::occupancyProbability();
  o.halfExtent = 0.55f;  // the shape box (model/shape/occupancy_grid.h)
  o.resolution = 128;
  return o;
}
}  // namespace

ShapeView::ShapeView(std::shared_ptr<ShapeSession> session, const ViewServices& services)
    : GridView3DDomainView(services, shapeViewOptions()), session_(std::move(session)) {
  if (session_->canSample()) show(shown_);  // else the panel says it can only encode meshes
}

std::string ShapeView::title() const { return session_->path().filename().string() + " - " + shown_.describe(); }

void ShapeView::show(const ShapeSpec& spec, bool addToHistory) {
  if (spec.cols() != shown_.cols() || spec.rows() != shown_.rows()) {  // another layout: aim anew once it shows
    framed_ = false;
    finishedAtLayout_ = baker_.finished();
    swapsBeforeLayout_ = kUnknown;
  }
  shown_ = spec;
  if (spec.kind != ShapeSpec::Kind::Encoded) edit_ = spec;  // the panel's seed fields follow the samples
  if (addToHistory && (historyIndex_ < 0 || !(history_[historyIndex_] == spec))) {
    history_.resize(historyIndex_ + 1);
    history_.push_back(spec);
    if (history_.size() > 64) history_.erase(history_.begin());
    historyIndex_ = int(history_.size()) - 1;
  }
  // A quick preview first, then the view's resolution (the preview stays on screen meanwhile).
  const int full = view3d_.resolution();
  fullPending_ = full > kPreviewN;
  requestBake(std::min(kPreviewN, full));
}

void ShapeView::requestBake(int n) {
  auto session = session_;
  const ShapeSpec spec = shown_;
  // A mosaic (seed grid, mesh beside its encoding) gets a larger box and each shape about (n / k)^3
  // voxels, at least 24^3 (ShapeSpec::mosaicN).
  const int k = spec.mosaicSide();
  float halfExtent = 0.55f;
  if (k > 1) {
    const int c = ShapeSpec::mosaicCell(n, k);
    n = ShapeSpec::mosaicN(c, k);
    halfExtent = 0.55f * float(n) / float(c);
  }
  try {
    baker_.request(
        n,
        [session, spec](GridTarget& target, const std::atomic<bool>& cancel, std::atomic<float>& progress) {
          return session->bake(spec, target.n(), asTensor(target.shared()), cancel, progress);
        },
        spec.describe() + " " + std::to_string(n) + "^3", halfExtent);
    bakedPreviewFor_ = int(baker_.requested());
  } catch (const std::exception& e) {
    error_ = e.what();
    fullPending_ = false;
  }
}

void ShapeView::update(int width, int height, double now) {
  if (auto n = view3d_.takeResolutionRequest()) {
    fullPending_ = false;
    requestBake(*n);
  }
  GridView3DDomainView::update(width, height, now);
  // A new layout: once a bake of it was published (an older grid may still be swapped in first),
  // aim at it when it is on screen.
  if (!framed_ && swapsBeforeLayout_ == kUnknown && baker_.finished() > finishedAtLayout_)
    swapsBeforeLayout_ = view3d_.gridsPublished();
  if (!framed_ && swapsBeforeLayout_ != kUnknown && view3d_.gridsPublished() > swapsBeforeLayout_) {
    framed_ = true;
    if (shown_.cols() > 1) {  // a mosaic is read from the front
      OrbitCameraState s = view3d_.camera().state();
      s.azimuthDeg = 0.0f;
      s.elevationDeg = 12.0f;
      view3d_.setCamera(s);
    }
    view3d_.frameObject();
  }
  if (fullPending_ && !baker_.busy()) {
    fullPending_ = false;
    if (baker_.finished() > 0) requestBake(view3d_.resolution());
  }
  exports_.collectFinished(lastExportMessage_, error_);
}

std::string ShapeView::status() const {
  std::string s = shown_.describe() + "  |  " + GridView3DDomainView::status();
  if (!exports_.empty()) {
    char b[64];
    std::snprintf(b, sizeof b, "  |  exporting mesh %.0f%%", 100.0 * exports_.newest().fraction());
    s += b;
  }
  return s;
}

std::string ShapeView::takeError() {
  if (!error_.empty()) return std::exchange(error_, std::string());
  return GridView3DDomainView::takeError();
}

nlohmann::json ShapeView::saveState() const {
  nlohmann::json j = GridView3DDomainView::saveState();
  j["sample"] = shown_.toJson();
  return j;
}

void ShapeView::restoreState(const nlohmann::json& state) {
  const nlohmann::json before = GridView3DDomainView::saveState();
  GridView3DDomainView::restoreState(state);
  if (state.contains("sample")) {
    const ShapeSpec spec = ShapeSpec::fromJson(state.at("sample"));
    if (spec.kind != ShapeSpec::Kind::Encoded && !session_->canSample()) return;
    if (spec.kind == ShapeSpec::Kind::Encoded && !std::filesystem::exists(spec.mesh))
      throw std::runtime_error("the encoded mesh '" + spec.mesh + "' no longer exists");
    if (!(spec == shown_) || baker_.requested() == 0) show(spec);  // the same sample: no re-bake
  }
  // A camera that came with the state (not the one already on screen, as a patched state has) is kept.
  const auto view = state.find("view3d");
  if (view != state.end() && view->is_object() && view->contains("camera") &&
      (!before.contains("view3d") || before["view3d"].value("camera", nlohmann::json()) != view->at("camera")))
    framed_ = true;
}

ViewProgress ShapeView::progress() const {
  ViewProgress p = GridView3DDomainView::progress();
  if (fullPending_) p.converged = false;  // the preview is on screen, the chosen resolution not yet
  return p;
}


std::vector<ExportKind> ShapeView::exports() const {
  return {{"png", "PNG image", ".png"}, {"obj", "OBJ mesh", ".obj"}, {"ply", "PLY mesh", ".ply"}};
}

std::shared_ptr<ExportProgress> ShapeView::startExport(const ExportRequest& r) {
  if (r.kind == "png") return GridView3DDomainView::startExport(r);
  if (r.kind != "obj" && r.kind != "ply") throw std::runtime_error("the shape view does not export '" + r.kind + "'");
  const int n = r.width > 0 ? r.width : view3d_.resolution();
  MeshExportRun run = startMeshExport(session_, shown_, n, view3d_.iso(), r.path);
  auto progress = run.progress;
  exports_.add(progress, std::move(run.thread));
  return progress;
}

}  // namespace fieldscope
