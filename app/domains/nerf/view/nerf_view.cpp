#include "app/domains/nerf/view/nerf_view.h"

#include <torch/torch.h>

#include <cstdio>
#include <limits>
#include <optional>

#include "app/domains/nerf/cli/nerf_camera.h"
#include "app/domains/nerf/nerf_exports.h"
#include "cuda_interop/shared_tensor_torch.h"

namespace fieldscope {
namespace {

constexpr int kNerfPreviewN = 64;

GridView3DOptions nerfViewOptions(const NerfConfig& config) {
  GridView3DOptions o;
  o.format = GridFormat::DensityColour;
  o.halfExtent = float(config.bound);
  o.renderModes = {"colour", "depth", "opacity"};
  o.home = nerfHomeCamera();
  o.exactStill = true;
  o.resolution = 128;
  return o;
}

// Bakes the scene (sampled first when it is a new seed of a generative model) into the target
// ((n, n, n, 4) over the mapped memory) in slabs, the colour for the direction the camera looks
// along now.
GridBaker::Bake nerfBake(std::shared_ptr<NerfSceneSource> source, uint64_t seed, int steps, std::array<float, 3> viewDirection) {
  return [source, seed, steps, viewDirection](GridTarget& target, const std::atomic<bool>& cancel,
                                             std::atomic<float>& progress) {
    const std::shared_ptr<const NerfField> field = source->fieldFor(seed, steps);
    if (cancel) return false;
    torch::Tensor out = asTensor(target.shared());
    return bakeVolume(field->asQuery(), target.n(), target.halfExtent(), viewDirection, out, true,
                      [&cancel] { return cancel.load(); },
                      [&progress](int64_t done, int64_t total) { progress = float(done) / float(total); });
  };
}

}  // namespace

NerfView::NerfView(std::shared_ptr<NerfSceneSource> source, std::filesystem::path file, const ViewServices& services)
    : GridView3DDomainView(services, nerfViewOptions(source->config())), source_(std::move(source)), file_(std::move(file)) {
  requestBake(kNerfPreviewN);
  fullPending_ = true;
}

void NerfView::requestBake(int n) {
  const glm::vec3 f = view3d_.camera().frame().forward;
  try {
    const std::string what = source_->generative() ? "seed " + std::to_string(seed_) + ", " : "";
    baker_.request(n, nerfBake(source_, seed_, steps_, nerfWorldFromView({f.x, f.y, f.z})),
                   what + "scene " + std::to_string(n) + "^3");
  } catch (const std::exception& e) {
    error_ = e.what();  // e.g. beyond the device's buffer limit: the old grid stays
  }
}

void NerfView::showSeed(uint64_t seed) {
  if (!source_->generative() || seed == seed_) return;
  seed_ = seed;
  editSeed_ = int(std::min<uint64_t>(seed, uint64_t(std::numeric_limits<int>::max())));
  view3d_.dropStill();  // the exact frame of the old scene
  requestBake(kNerfPreviewN);  // sampled, then a quick preview, then the chosen resolution
  fullPending_ = true;
}

// The exact still frame: bands of ~2048 rays (a fraction of a second each here, so a camera
// move stops it at once), top to bottom, each shown as it finishes.
void NerfView::renderStill(StillFrame& still) const {
  const std::shared_ptr<const NerfField> field = source_->current();
  if (!field) throw std::runtime_error("the scene is still being sampled");
  const NerfExactRows exact(*field, still.camera(), still.width(), still.height(), NerfRenderMode(still.renderMode()),
                            still.background());
  const int band = exact.rowsPerBand(2048);
  for (int row = 0; row < still.height(); row += band) {
    if (still.cancelled()) return;
    const int rows = std::min(band, still.height() - row);
    exact.render(row, rows, still.row(row));
    still.finishRows(row + rows);
  }
}

std::shared_ptr<const NerfField> NerfView::shownField() const {
  std::shared_ptr<const NerfField> f = source_->current();
  if (!f) throw std::runtime_error("the scene is still being sampled: export it once it shows");
  return f;
}

void NerfView::update(int width, int height, double now) {
  if (view3d_.takeResolutionRequest()) {
    fullPending_ = false;
    requestBake(view3d_.resolution());
  }
  GridView3DDomainView::update(width, height, now);
  if (fullPending_ && !baker_.busy() && baker_.finished() > 0) {
    fullPending_ = false;
    requestBake(view3d_.resolution());
  }
  exports_.collectFinished(lastExportMessage_, error_);
  if (!baker_.busy() && !fullPending_) still_.poll(view3d_);
}

std::string NerfView::status() const {
  std::string s = file_.filename().string() + "  |  ";
  if (source_->generative()) s += "seed " + std::to_string(seed_) + "  |  ";
  s += GridView3DDomainView::status();
  if (!exports_.empty()) {
    char b[64];
    std::snprintf(b, sizeof b, "  |  exporting %.0f%%", 100.0 * exports_.newest().fraction());
    s += b;
  }
  return s;
}

ViewProgress NerfView::progress() const {
  ViewProgress p = GridView3DDomainView::progress();
  if (fullPending_) p.converged = false;  // the preview is on screen, the chosen resolution not yet
  return p;
}

std::string NerfView::takeError() {
  if (!error_.empty()) return std::exchange(error_, std::string());
  if (std::string e = still_.takeError(); !e.empty()) return e;
  return GridView3DDomainView::takeError();
}

TurntableSettings NerfView::turntable() const {
  TurntableSettings s;
  s.seconds = spinSeconds_;
  s.orbits = spinOrbits_;
  s.fps = spinFps_;
  s.start = view3d_.camera().state();
  s.start.elevationDeg = spinElevation_;
  return s;
}

nlohmann::json NerfView::saveState() const {
  nlohmann::json j = GridView3DDomainView::saveState();
  j["turntable"] = {{"seconds", spinSeconds_}, {"orbits", spinOrbits_}, {"fps", spinFps_},
                    {"width", spinWidth_},     {"height", spinHeight_},  {"elevation", spinElevation_}};
  j["mesh"] = {{"resolution", meshResolution_}, {"density", meshDensity_}};
  if (source_->generative()) j["sample"] = {{"seed", seed_}, {"steps", steps_}};
  if (!cameraPath_.keyframes.empty()) j["camera_path"] = cameraPathToJson(cameraPath_);
  return j;
}

void NerfView::restoreState(const nlohmann::json& state) {
  // Checked before anything changes: a broken path refuses the whole state.
  const std::optional<CameraPath> path =
      state.contains("camera_path") ? std::optional(cameraPathFromJson(state["camera_path"], "the view's camera path"))
                                    : std::nullopt;
  GridView3DDomainView::restoreState(state);
  if (path) cameraPath_ = *path;
  auto number = [](const nlohmann::json& o, const char* key, double lo, double hi, double keep) {
    if (!o.is_object() || !o.contains(key)) return keep;
    if (!o[key].is_number()) throw std::runtime_error(std::string("the NeRF view's \"") + key + "\" is not a number");
    const double v = o[key].get<double>();
    return std::isfinite(v) ? std::clamp(v, lo, hi) : keep;
  };
  if (state.contains("turntable")) {
    const nlohmann::json& t = state["turntable"];
    spinSeconds_ = float(number(t, "seconds", 0.1, 600, spinSeconds_));
    spinOrbits_ = int(number(t, "orbits", 1, 100, spinOrbits_));
    spinFps_ = int(number(t, "fps", 1, 120, spinFps_));
    spinWidth_ = int(number(t, "width", 16, 3840, spinWidth_));
    spinHeight_ = int(number(t, "height", 16, 3840, spinHeight_));
    spinElevation_ = float(number(t, "elevation", -89, 89, spinElevation_));
  }
  if (state.contains("sample") && source_->generative()) {
    const nlohmann::json& smp = state["sample"];
    steps_ = int(number(smp, "steps", 1, 1000, steps_));
    if (smp.is_object() && smp.contains("seed")) {
      if (!smp["seed"].is_number_unsigned()) throw std::runtime_error("the NeRF view's \"seed\" is not a whole number >= 0");
      showSeed(smp["seed"].get<uint64_t>());
    }
  }
  if (state.contains("mesh")) {
    meshResolution_ = int(number(state["mesh"], "resolution", 8, 1024, meshResolution_));
    meshDensity_ = float(number(state["mesh"], "density", 1e-3, 1e6, meshDensity_));
  }
}

std::vector<ExportKind> NerfView::exports() const {
  return {{"png", "PNG image", ".png"},
          {"mp4", "Turntable MP4 (the NeRF panel's settings)", ".mp4"},
          {"path-mp4", "Camera path MP4 (the NeRF panel's keyframes)", ".mp4"},
          {"obj", "OBJ mesh (coloured)", ".obj", true},
          {"ply", "PLY mesh (coloured)", ".ply", true}};
}

std::shared_ptr<ExportProgress> NerfView::startExport(const ExportRequest& r) {
  if (r.kind == "png") return GridView3DDomainView::startExport(r);
  NerfExportRun run;
  if (r.kind == "mp4") {
    const int w = r.width > 0 ? r.width : spinWidth_, h = r.height > 0 ? r.height : spinHeight_;
    run = startTurntableExport(shownField(), turntable(), w, h, view3d_.resolution(), NerfRenderMode(view3d_.renderMode()), r.path);
  } else if (r.kind == "path-mp4") {
    const int w = r.width > 0 ? r.width : spinWidth_, h = r.height > 0 ? r.height : spinHeight_;
    run = startCameraPathExport(shownField(), cameraPath_, spinFps_, w, h, view3d_.resolution(), NerfRenderMode(view3d_.renderMode()),
                                r.path);
  } else if (r.kind == "obj" || r.kind == "ply") {
    run = startNerfMeshExport(shownField(), r.width > 0 ? r.width : meshResolution_, meshDensity_, r.path);
  } else {
    throw std::runtime_error("the NeRF view does not export '" + r.kind + "'");
  }
  auto progress = run.progress;
  exports_.add(progress, std::move(run.thread));
  return progress;
}

}  // namespace fieldscope
