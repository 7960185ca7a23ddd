#include "app/gui/automation/bench_element.h"

#include <GLFW/glfw3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "app/cli/compute_flags.h"
#include "app/domain/domain_view.h"
#include "app/panels/ui_state.h"
#include "model/io/atomic_file.h"
#include "render/context.h"
#include "render/window.h"

namespace fieldscope {

namespace {
double loadAverage() {
  double l[1] = {-1};
  return ::getloadavg(l, 1) == 1 ? l[0] : -1;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * (v.size() - 1) + 0.5))];
}
}  // namespace

BenchElement::BenchElement(std::unique_ptr<InputScript> script, Labels labels)
    : script_(std::move(script)), labels_(std::move(labels)) {}

void BenchElement::beforeViewInput(AppHost& app, ViewportInput& input) {
  if (lastInputTime_ >= 0 || app.loading()) return;  // the script starts once the model is on screen
  if (frame_ == 0 && script_->startsConverged() && !app.view()->progress().converged) return;
  const double now = app.now();
  if (frame_ == 0) {
    startTime_ = now;
    unitsAtStart_ = app.view()->progress().decodedUnits;
  }
  const ScriptStep step = script_->step(frame_++);
  if (step.done) {
    lastInputTime_ = now;
    return;
  }
  input.scriptedZoom = step.zoomFactor;
  input.scriptedPanX = step.panX;
  input.scriptedPanY = step.panY;
  GLFWwindow* w = app.window().handle();
  if (step.windowWidth > 0) glfwSetWindowSize(w, step.windowWidth, step.windowHeight);
  if (step.iconify) glfwIconifyWindow(w);
  if (step.restore) glfwRestoreWindow(w);
  // A step that only resizes still counts as input (the view changes).
  if (input.scriptedZoom == 1.0 && input.scriptedPanX == 0 && input.scriptedPanY == 0) input.scriptedPanX = 1e-9;
}

void BenchElement::afterFrame(AppHost& app, double frameMs, const std::vector<uint8_t>*) {
  const ViewProgress p = app.view()->progress();
  if (frame_ == 0) return;
  if (lastInputTime_ < 0) {
    if (frame_ > 1) {
      frameMs_.push_back(frameMs);
      movingNumbers_ = app.view()->perfNumbers();
      if (p.gpuPassMs >= 0) composeMs_.push_back(p.gpuPassMs);
    }
    return;
  }
  const double t = app.now();
  if (tilesCompleteAt_ < 0 && (p.detailComplete || labels_.naive)) tilesCompleteAt_ = t;
  if (convergedAt_ < 0 && p.converged) convergedAt_ = t;
  // 600 s: a NeRF view's exact still frame at 1280x720 takes minutes on two cores.
  if ((tilesCompleteAt_ >= 0 && convergedAt_ >= 0) || t - lastInputTime_ > 600) finish(app, t);
}

void BenchElement::finish(AppHost& app, double t) {
  const VulkanContext& ctx = app.context();
  DomainView& view = *app.view();
  nlohmann::json j;
  const ViewportRect& r = app.viewportRect();
  j["device"] = ctx.deviceName();
  j["present"] = app.presentPath();
  j["window"] = labels_.windowSize;
  j["viewport"] = std::to_string(r.width) + "x" + std::to_string(r.height);
  j["script"] = script_->name();
  j["field"] = view.title();
  j["decode_path"] = labels_.naive ? "naive: whole view after every change" : "tile pyramid + exact view";
  j["frames_while_moving"] = frameMs_.size();
  j["frame_ms_p50"] = percentile(frameMs_, 0.5);
  j["frame_ms_p95"] = percentile(frameMs_, 0.95);
  // Timestamp queries; on lavapipe they do not bracket the CPU work (shared_tensor_bench
  // measures the pass by wall time instead).
  j["compositor_timestamp_ms_p50"] = percentile(composeMs_, 0.5);
  j["compositor_timestamp_ms_p95"] = percentile(composeMs_, 0.95);
  j["machine_load_average_1min"] = loadAverage();
  // What was measured, with what (bench/README.md): scripts/bench.sh sets the commit.
  const char* commit = std::getenv("FIELDSCOPE_COMMIT");
  j["commit"] = commit && *commit ? commit : "unknown (not run by scripts/bench.sh)";
  j["threads"] = threadChoiceText();
  const uint64_t decoded = view.progress().decodedUnits - unitsAtStart_;
  j["tiles_decoded"] = decoded;
  j["tile_decode_throughput_tiles_per_s"] = decoded / std::max(1e-9, t - startTime_);
  j["last_input_to_all_visible_tiles_s"] = tilesCompleteAt_ >= 0 ? tilesCompleteAt_ - lastInputTime_ : -1.0;
  j["last_input_to_exact_view_s"] = convergedAt_ >= 0 ? convergedAt_ - lastInputTime_ : -1.0;
  j["scripted_motion_s"] = lastInputTime_ - startTime_;
  j["validation_errors"] = ctx.validationErrors();
  // The view's own numbers (a 3D view: the reduced resolution it settled at while moving).
  if (!movingNumbers_.empty()) {
    for (const auto& [k, v] : movingNumbers_) j["view_while_moving"][k] = v;
    for (const auto& [k, v] : view.perfNumbers()) j["view_at_end"][k] = v;
  }
  const std::string text = j.dump(2) + "\n";
  std::fputs(text.c_str(), stdout);
  if (!labels_.benchOut.empty()) writeBytesAtomically(labels_.benchOut, text);
  app.exit(ctx.validationErrors() == 0 ? 0 : 1);
}

}  // namespace fieldscope
