// The NeRF panel (docs/architecture.md "The NeRF domain"): the 3D view's controls (grid
// resolution, render mode colour / depth / opacity, frame, reset), the turntable -- seconds,
// orbits, fps, size, elevation, Render MP4 in one click with progress, ETA and cancel -- and
// the coloured density mesh (resolution, density, Export).
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/domains/nerf/nerf_exports.h"
#include "app/domains/nerf/view/nerf_view.h"
#include "app/gui/export_job.h"
#include "app/panels/side_panel.h"

namespace fieldscope {

void NerfView::drawPanels(std::string& openFile) {
  (void)openFile;
  if (!beginSidePanel("NeRF scene")) {
    ImGui::End();
    return;
  }
  const NerfConfig& config = source_->config();
  ImGui::Text("%s: %s", source_->generative() ? "Model" : "Scene", file_.filename().string().c_str());
  ImGui::TextDisabled("%s preset, triplane %d x %d^2%s", config.preset.c_str(), config.planeChannels, config.planeResolution,
                      source_->generative() ? " (VAE + LDM)" : "");
  if (source_->generative() && ImGui::CollapsingHeader("Sample", ImGuiTreeNodeFlags_DefaultOpen)) drawSampleSection();
  if (ImGui::CollapsingHeader("View", ImGuiTreeNodeFlags_DefaultOpen)) view3d_.drawControls();

  auto startOrSay = [&](const ExportRequest& r) {
    try {
      startExport(r);
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  };
  const bool busy = !exports_.empty();
  if (ImGui::CollapsingHeader("Turntable", ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGui::SetNextItemWidth(120);
    ImGui::InputFloat("seconds", &spinSeconds_, 1, 5, "%.1f");
    spinSeconds_ = std::clamp(spinSeconds_, 0.1f, 600.0f);
    ImGui::SetNextItemWidth(120);
    ImGui::InputInt("orbits", &spinOrbits_);
    spinOrbits_ = std::clamp(spinOrbits_, 1, 100);
    ImGui::SetNextItemWidth(120);
    ImGui::InputInt("fps", &spinFps_);
    spinFps_ = std::clamp(spinFps_, 1, 120);
    ImGui::SetNextItemWidth(120);
    ImGui::InputInt2("size", spinSize_);
    spinWidth_ = std::clamp(spinWidth_, 16, 3840);
    spinHeight_ = std::clamp(spinHeight_, 16, 3840);
    ImGui::SetNextItemWidth(120);
    ImGui::SliderFloat("elevation", &spinElevation_, -89, 89, "%.0f deg");
    char path[512];
    std::snprintf(path, sizeof path, "%s", videoPath_.c_str());
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputText("##video", path, sizeof path)) videoPath_ = path;
    ImGui::BeginDisabled(busy);
    if (ImGui::Button("Render turntable MP4")) startOrSay({"mp4", videoPath_, spinWidth_, spinHeight_, false});
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::TextDisabled("%d frames", turntable().frames());
  }
  if (ImGui::CollapsingHeader("Camera path")) drawCameraPathSection();
  if (ImGui::CollapsingHeader("Mesh")) {
    ImGui::SetNextItemWidth(120);
    ImGui::InputInt("grid", &meshResolution_, 32, 64);
    meshResolution_ = std::clamp(meshResolution_, 8, 1024);
    ImGui::SetNextItemWidth(120);
    ImGui::InputFloat("density", &meshDensity_, 1, 10, "%.1f");
    meshDensity_ = std::clamp(meshDensity_, 0.001f, 1e6f);
    char path[512];
    std::snprintf(path, sizeof path, "%s", meshPath_.c_str());
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputText("##mesh", path, sizeof path)) meshPath_ = path;
    ImGui::BeginDisabled(busy);
    if (ImGui::Button("Export mesh")) {
      const bool ply = meshPath_.size() > 4 && meshPath_.substr(meshPath_.size() - 4) == ".ply";
      startOrSay({ply ? "ply" : "obj", meshPath_, 0, 0, false});
    }
    ImGui::EndDisabled();
  }
  if (busy) {
    ExportProgress* p = &exports_.newest();
    ImGui::ProgressBar(float(p->fraction()), ImVec2(-1, 0));
    ImGui::Text("ETA %.0f s", p->etaSeconds());
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) p->cancel = true;
  }
  if (!lastExportMessage_.empty()) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", lastExportMessage_.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::End();
}

}  // namespace fieldscope

namespace fieldscope {

// A generative model's seed: type one and Sample, or step through the seeds; the DDIM steps.
void NerfView::drawSampleSection() {
  ImGui::SetNextItemWidth(120);
  ImGui::InputInt("seed", &editSeed_);
  editSeed_ = std::max(editSeed_, 0);
  ImGui::SetNextItemWidth(120);
  ImGui::InputInt("steps", &steps_, 10, 50);
  steps_ = std::clamp(steps_, 1, 1000);
  if (ImGui::Button("Sample")) showSeed(uint64_t(editSeed_));
  ImGui::SameLine();
  if (ImGui::Button("< prev") && seed_ > 0) showSeed(seed_ - 1);
  ImGui::SameLine();
  if (ImGui::Button("next >")) showSeed(seed_ + 1);
  ImGui::TextDisabled("showing seed %llu", static_cast<unsigned long long>(seed_));
}

// Keyframes from the view's camera (its eye, target and fov, `keyframeGap_` seconds apart), the
// list, Save / Load as JSON (camera_path.h) and Render MP4 at the turntable's fps and size.
void NerfView::drawCameraPathSection() {
  auto& keys = cameraPath_.keyframes;
  ImGui::SetNextItemWidth(120);
  ImGui::InputFloat("s apart", &keyframeGap_, 0.5f, 1.0f, "%.1f");
  keyframeGap_ = std::clamp(keyframeGap_, 0.1f, 600.0f);
  if (ImGui::Button("Add keyframe")) {
    const OrbitCamera& cam = view3d_.camera();
    keys.push_back({keys.empty() ? 0.0 : keys.back().time + keyframeGap_, cam.eye(), cam.state().target, cam.state().fovYDeg});
  }
  ImGui::SameLine();
  if (ImGui::Button("Clear")) keys.clear();
  for (size_t i = 0; i < keys.size(); ++i) {
    ImGui::PushID(int(i));
    ImGui::Text("%5.1f s  (%.2f, %.2f, %.2f)  %.0f deg", keys[i].time, keys[i].position.x, keys[i].position.y,
                keys[i].position.z, keys[i].fovDeg);
    ImGui::SameLine();
    if (ImGui::SmallButton("x")) {
      keys.erase(keys.begin() + std::ptrdiff_t(i));
      ImGui::PopID();
      break;
    }
    ImGui::PopID();
  }
  char file[512];
  std::snprintf(file, sizeof file, "%s", cameraPathFile_.c_str());
  ImGui::SetNextItemWidth(-1);
  if (ImGui::InputText("##pathfile", file, sizeof file)) cameraPathFile_ = file;
  ImGui::BeginDisabled(keys.empty());
  if (ImGui::Button("Save")) {
    try {
      writeCameraPath(cameraPathFile_, cameraPath_);
      lastExportMessage_ = "wrote " + cameraPathFile_;
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Load")) {
    try {
      cameraPath_ = readCameraPath(cameraPathFile_);  // a broken file changes nothing and says why
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  }
  char video[512];
  std::snprintf(video, sizeof video, "%s", pathVideo_.c_str());
  ImGui::SetNextItemWidth(-1);
  if (ImGui::InputText("##pathvideo", video, sizeof video)) pathVideo_ = video;
  ImGui::BeginDisabled(keys.size() < 2 || !exports_.empty());
  if (ImGui::Button("Render path MP4")) {
    try {
      NerfExportRun run = startCameraPathExport(shownField(), cameraPath_, spinFps_, spinWidth_, spinHeight_, view3d_.resolution(),
                                                NerfRenderMode(view3d_.renderMode()), pathVideo_);
      exports_.add(run.progress, std::move(run.thread));
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::TextDisabled("%.1f s at the turntable's fps and size", cameraPath_.duration());
}

}  // namespace fieldscope
