#pragma once
// --script steps:FILE.json: a scripted session for tests and screenshots of any view
// (docs/architecture.md "The app loop"). Once the opened file's view is on screen, the steps
// run in order:
//   {"state": {...}}                  merged into the view's saveState() and restored (JSON merge patch)
//   {"frames": N}                     draw N frames, with optional per-frame input:
//        "drag": [dx, dy]  (left drag), "pan": [dx, dy] (pan drag), "zoom": factor, "measure": true
//   {"until": "converged", "max_frames": N, "measure": true}   draw until progress().converged
//   {"until": NAME, "at_least": X, "max_frames": N}   draw until the view's perfNumbers()[NAME] >= X
//   {"key": "frame" | "reset" | "escape" | "enter"}   one frame with that key (F / 0 to the view;
//                                     Esc / Enter typed, as the dialogs see them)
//   {"show": "controls" | "about" | "settings" | "export"}   opens that dialog or panel
//   {"capture": "PATH.png", "region": "window" | "viewport"}   this frame's pixels as PNG
//   {"export": {"path": P, "width": W, "height": H, "kind": K, "cancel_at_rows": R}}   one of the
//        view's exports (kind: "png" by default; "obj"/"ply" of a shape: width = grid resolution),
//        waited for; with cancel_at_rows it is cancelled there
// Every frame is logged (time, converged, detail complete, decoded units, whether a dialog is open,
// the view's perfNumbers(); with
// "measure", the viewport pixels that differ from "background" by more than 8 in a channel)
// and, with captures and exports, written to "log" at the end. The run then exits: 0 when no
// step failed and no validation error was reported.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/gui/app_element.h"

namespace fieldscope {

struct ExportProgress;

class StepsScriptElement final : public AppElement {
 public:
  // Reads the script; throws std::runtime_error naming the file and the problem.
  explicit StepsScriptElement(const std::string& path);
  void beforeUi(AppHost& app) override;
  void beforeViewInput(AppHost& app, ViewportInput& input) override;
  bool wantsCapture(AppHost& app) override;
  void afterFrame(AppHost& app, double frameMs, const std::vector<uint8_t>* capture) override;
  bool drivesFrames() const override { return true; }

 private:
  const nlohmann::json* step() const { return index_ < steps_.size() ? &steps_[index_] : nullptr; }
  void next();
  void fail(const std::string& message);
  void finish(AppHost& app);

  std::string path_;
  nlohmann::json steps_;
  std::string logPath_;
  int background_[3] = {20, 20, 23};
  size_t index_ = 0;
  int heldKey_ = -1;  // the ImGui key index a "key" step holds down this frame
  int stepFrames_ = 0;
  bool started_ = false, finished_ = false;
  bool importStarted_ = false;  // the current "import" step pressed Import
  int totalFrames_ = 0;
  std::shared_ptr<ExportProgress> export_;
  nlohmann::json log_ = {{"frames", nlohmann::json::array()},
                         {"captures", nlohmann::json::array()},
                         {"exports", nlohmann::json::array()},
                         {"errors", nlohmann::json::array()}};
};

}  // namespace fieldscope
