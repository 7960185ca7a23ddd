#pragma once
// NerfView: the NeRF domain's view (docs/architecture.md "The NeRF domain"). The scene -- a fitted
// one, or a generative model's sample of the panel's seed (NerfSceneSource) -- has its density
// and colour are baked on the baker thread into the 3D view's density + colour grid (+Y up; the
// scene's +Z) -- a quick 64^3 first, then the chosen resolution -- and marched every frame by
// the emission-absorption shader (colour, depth, opacity), dynamic resolution while moving.
// Once the camera rests, the exact still frame: the field itself rendered through the MLP at the
// viewport's size on a StillRenderer thread, shown band by band over the march.
// The NeRF panel: the view's controls, the turntable (seconds, orbits, fps, size, elevation)
// exported to MP4 in one click, a camera path (keyframes added from the view, saved and loaded
// as JSON, rendered to MP4), and the coloured density mesh (OBJ/PLY); File > Export also offers
// PNG, MP4 and the meshes.
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/domains/nerf/cli/camera_path.h"
#include "app/domains/nerf/cli/nerf_video.h"
#include "app/domains/nerf/view/nerf_scene_source.h"
#include "app/gui/export_threads.h"
#include "app/views/grid_view3d_domain_view.h"
#include "app/views/still_renderer.h"
#include "model/nerf/nerf_field.h"

namespace fieldscope {

class NerfView final : public GridView3DDomainView {
 public:
  NerfView(std::shared_ptr<NerfSceneSource> source, std::filesystem::path file, const ViewServices& services);

  std::string title() const override { return file_.filename().string(); }
  void drawPanels(std::string& openFile) override;
  void update(int width, int height, double now) override;
  std::string status() const override;
  ViewProgress progress() const override;
  std::string takeError() override;
  nlohmann::json saveState() const override;
  void restoreState(const nlohmann::json& state) override;
  std::vector<ExportKind> exports() const override;
  // "png": the view; "mp4": the turntable of the panel's settings at request.width x height
  // (0: the panel's size); "obj" / "ply": the density mesh at request.width^3 (0: the panel's
  // resolution) and the panel's density.
  std::shared_ptr<ExportProgress> startExport(const ExportRequest& request) override;

  // A generative model's scene of `seed` (sampled and baked on the baker thread); ignored for a
  // fitted scene.
  void showSeed(uint64_t seed);
  uint64_t seed() const { return seed_; }

 private:
  // The scene on screen; throws while a generative model's first sample is still being made.
  std::shared_ptr<const NerfField> shownField() const;
  void drawSampleSection();
  void requestBake(int n);
  TurntableSettings turntable() const;
  void drawCameraPathSection();
  void renderStill(StillFrame& still) const;  // on still_'s thread

  std::shared_ptr<NerfSceneSource> source_;
  uint64_t seed_ = 0;
  int steps_ = 50;
  int editSeed_ = 0;
  std::filesystem::path file_;
  bool fullPending_ = false;
  std::string error_;
  // Panel state (saved with the view).
  float spinSeconds_ = 4, spinElevation_ = 20;
  int spinOrbits_ = 1, spinFps_ = 30;
  int spinSize_[2] = {640, 480};  // width, height (one ImGui::InputInt2)
  int& spinWidth_ = spinSize_[0];
  int& spinHeight_ = spinSize_[1];
  int meshResolution_ = 192;
  float meshDensity_ = 10;
  std::string videoPath_ = "turntable.mp4", meshPath_ = "scene.obj";
  CameraPath cameraPath_;  // keyframes added from the view, saved / loaded as JSON
  float keyframeGap_ = 2;  // seconds after the last keyframe for the next one
  std::string cameraPathFile_ = "camera_path.json", pathVideo_ = "camera_path.mp4";
  ExportThreads exports_;  // cancelled and joined when the view goes
  std::string lastExportMessage_;
  StillRenderer still_{[this](StillFrame& s) { renderStill(s); }};  // last: joined first
};

}  // namespace fieldscope
