#include "app/gui/automation/steps_script_element.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "app/domain/domain_view.h"
#include "app/gui/export_job.h"
#include "app/panels/ui_state.h"
#include "model/io/atomic_file.h"
#include "model/io/png_file.h"
#include "render/context.h"

namespace fieldscope {

namespace {
constexpr int kMaxFrames = 30000;  // a script that never ends is a failure, not a hang

const char* const kKinds[] = {"state", "show", "frames", "until", "key", "capture", "export", "import"};
}  // namespace

StepsScriptElement::StepsScriptElement(const std::string& path) : path_(path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("--script steps: cannot read '" + path + "'");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("steps") || !j["steps"].is_array())
    throw std::runtime_error("--script steps: '" + path + "' is not {\"steps\": [...]} JSON");
  steps_ = j["steps"];
  for (size_t i = 0; i < steps_.size(); ++i) {
    const nlohmann::json& s = steps_[i];
    const bool known = s.is_object() && std::any_of(std::begin(kKinds), std::end(kKinds),
                                                    [&](const char* k) { return s.contains(k); });
    if (!known)
      throw std::runtime_error("--script steps: '" + path + "' step " + std::to_string(i) +
                               " is none of state, frames, until, key, capture, export, import");
  }
  if (j.contains("log")) logPath_ = j["log"].get<std::string>();
  if (j.contains("background"))
    for (int k = 0; k < 3; ++k) background_[k] = j["background"].at(k).get<int>();
}

void StepsScriptElement::next() {
  ++index_;
  stepFrames_ = 0;
}

void StepsScriptElement::fail(const std::string& message) {
  std::fprintf(stderr, "fieldscope: script step %zu: %s\n", index_, message.c_str());
  log_["errors"].push_back({{"step", index_}, {"message", message}});
}

void StepsScriptElement::beforeUi(AppHost& app) {
  ImGuiIO& io = ImGui::GetIO();
  if (heldKey_ >= 0) io.KeysDown[heldKey_] = false;  // a key press lasts one frame
  heldKey_ = -1;
  if (finished_) return;
  if (!started_) {
    if (app.loading() || app.framesDrawn() < 2) return;  // the opened file's view first
    started_ = true;
  }
  // Steps that take no frame of their own.
  while (const nlohmann::json* s = step()) {
    if (s->contains("show")) {  // opens a dialog or panel as its menu item would (screenshots of them)
      const std::string what = s->at("show").get<std::string>();
      UiState& ui = app.ui();
      if (what == "controls") ui.showControls = true;
      else if (what == "about") ui.showAbout = true;
      else if (what == "settings") ui.settings.show = true;
      else if (what == "export") ui.exporting.dialogRequested = true;
      else if (what == "import") ui.importing.dialogRequested = true;
      else fail("unknown 'show': " + what + " (controls, about, settings, export, import)");
      next();
      continue;
    }
    if (s->contains("state")) {
      try {
        nlohmann::json state = app.view()->saveState();
        state.merge_patch(s->at("state"));
        app.view()->restoreState(state);
      } catch (const std::exception& e) {
        fail(std::string("restoring the state: ") + e.what());
      }
      next();
      continue;
    }
    if (s->contains("export") && !export_) {
      const nlohmann::json& e = s->at("export");
      try {
        export_ = app.view()->startExport({e.value("kind", std::string("png")), e.at("path").get<std::string>(),
                                           e.at("width").get<int>(), e.value("height", 0),
                                           e.value("area", std::string("view")) == "picture"});
      } catch (const std::exception& ex) {
        fail(std::string("starting the export: ") + ex.what());
        log_["exports"].push_back({{"path", e.value("path", "")}, {"ok", false}, {"message", ex.what()}});
        next();
        continue;
      }
    }
    // File > Import DDMI checkpoint: the dialog's fields typed in and Import pressed (afterFrame waits for it).
    if (s->contains("import") && !importStarted_) {
      ImportState& im = app.ui().importing;
      const nlohmann::json& j = s->at("import");
      auto put = [&](char* buf, size_t n, const char* key) { std::snprintf(buf, n, "%s", j.value(key, std::string()).c_str()); };
      put(im.vae, sizeof im.vae, "vae");
      put(im.ldm, sizeof im.ldm, "ldm");
      put(im.config, sizeof im.config, "config");
      put(im.out, sizeof im.out, "out");
      im.lastMessage.clear();
      im.startRequested = true;
      importStarted_ = true;
    }
    break;
  }
  if (const nlohmann::json* s = step(); s && s->contains("key")) {  // Esc / Enter reach the dialogs as typed keys
    const std::string k = (*s)["key"].get<std::string>();
    const int key = k == "escape" ? ImGui::GetKeyIndex(ImGuiKey_Escape) : k == "enter" ? ImGui::GetKeyIndex(ImGuiKey_Enter) : -1;
    if (key >= 0 && key < int(IM_ARRAYSIZE(io.KeysDown))) {
      io.KeysDown[key] = true;
      heldKey_ = key;
    } else if (k != "frame" && k != "reset") {
      fail("unknown key '" + k + "' (frame, reset, escape, enter)");
    }
  }
  if (!step()) finish(app);
}

void StepsScriptElement::beforeViewInput(AppHost&, ViewportInput& input) {
  const nlohmann::json* s = step();
  if (!s || finished_ || !started_) return;
  if (s->contains("drag")) input.scriptedPanX = (*s)["drag"][0].get<double>(), input.scriptedPanY = (*s)["drag"][1].get<double>();
  if (s->contains("pan")) input.panDragX = (*s)["pan"][0].get<double>(), input.panDragY = (*s)["pan"][1].get<double>();
  if (s->contains("zoom")) input.scriptedZoom = (*s)["zoom"].get<double>();
  if (s->contains("key")) {
    const std::string k = (*s)["key"].get<std::string>();
    if (k == "frame") input.frameKey = true;
    if (k == "reset") input.resetKey = true;
  }
}

bool StepsScriptElement::wantsCapture(AppHost&) {
  const nlohmann::json* s = step();
  return s && started_ && !finished_ && (s->contains("capture") || s->value("measure", false));
}

void StepsScriptElement::afterFrame(AppHost& app, double frameMs, const std::vector<uint8_t>* capture) {
  if (!started_ || finished_) return;
  DomainView& view = *app.view();
  const ViewProgress p = view.progress();
  const ViewportRect& r = app.viewportRect();
  const VkExtent2D e = app.windowExtent();
  nlohmann::json rec = {{"frame", app.framesDrawn()}, {"step", index_},     {"ms", frameMs},
                        {"converged", p.converged},   {"units", p.decodedUnits},
                        {"detail", p.detailComplete},
                        {"dialog_open", ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel)}};
  for (const auto& [k, v] : view.perfNumbers()) rec["numbers"][k] = v;
  const nlohmann::json* s = step();
  if (capture && s && s->value("measure", false)) {
    int64_t covered = 0;
    for (int y = std::max(r.y, 0); y < std::min<int>(r.y + r.height, int(e.height)); ++y)
      for (int x = std::max(r.x, 0); x < std::min<int>(r.x + r.width, int(e.width)); ++x) {
        const uint8_t* px = capture->data() + (size_t(y) * e.width + x) * 4;
        bool differs = false;
        for (int k = 0; k < 3; ++k) differs |= std::abs(int(px[k]) - background_[k]) > 8;
        covered += differs;
      }
    rec["covered"] = covered;
  }
  log_["frames"].push_back(rec);
  if (++totalFrames_ > kMaxFrames) {
    fail("the script ran past " + std::to_string(kMaxFrames) + " frames");
    return finish(app);
  }
  if (!s) return finish(app);
  ++stepFrames_;
  if (s->contains("capture")) {
    if (!capture) return;
    const std::string path = s->at("capture").get<std::string>();
    const bool viewport = s->value("region", "window") == "viewport";
    Rgba8Image img;
    if (viewport) {
      const int x0 = std::max(r.x, 0), y0 = std::max(r.y, 0);
      const int w = std::min<int>(r.width, int(e.width) - x0), h = std::min<int>(r.height, int(e.height) - y0);
      img = {w, h, std::vector<uint8_t>(size_t(w) * h * 4)};
      for (int y = 0; y < h; ++y)
        std::copy_n(capture->data() + (size_t(y0 + y) * e.width + x0) * 4, size_t(w) * 4, img.pixels.data() + size_t(y) * w * 4);
    } else {
      img = {int(e.width), int(e.height), *capture};
    }
    try {
      writePng(path, img);
      std::printf("fieldscope: wrote %s (%dx%d)\n", path.c_str(), img.width, img.height);
    } catch (const std::exception& ex) {
      fail(ex.what());
    }
    log_["captures"].push_back({{"path", path},
                                {"frame", app.framesDrawn()},
                                {"region", viewport ? "viewport" : "window"},
                                {"viewport", {r.x, r.y, r.width, r.height}},
                                {"state", view.saveState()},
                                {"numbers", rec.value("numbers", nlohmann::json::object())}});
    return next();
  }
  if (s->contains("frames")) {
    if (stepFrames_ >= s->at("frames").get<int>()) next();
    return;
  }
  if (s->contains("until")) {
    // "converged", or a number of the view's perfNumbers() reaching "at_least" (e.g. a playhead's
    // key): a wait on what happened instead of on a frame count that a busy machine outlasts.
    const std::string what = s->at("until").get<std::string>();
    bool reached = p.converged;
    if (what != "converged") {
      const nlohmann::json& numbers = rec.value("numbers", nlohmann::json::object());
      reached = numbers.contains(what) && numbers[what].get<double>() >= s->value("at_least", 0.0);
    }
    if (reached) return next();
    if (stepFrames_ >= s->value("max_frames", 3000)) {
      fail(what == "converged" ? "not converged after " + std::to_string(stepFrames_) + " frames"
                               : what + " did not reach " + std::to_string(s->value("at_least", 0.0)) + " within " +
                                     std::to_string(stepFrames_) + " frames");
      next();
    }
    return;
  }
  if (s->contains("key")) return next();
  if (s->contains("import")) {
    const ImportState& im = app.ui().importing;
    if (im.running || im.startRequested || app.loading() || im.lastMessage.empty()) {
      if (stepFrames_ >= s->value("max_frames", 3000)) {
        fail("the import did not finish within " + std::to_string(stepFrames_) + " frames");
        next();
      }
      return;
    }
    log_["imports"].push_back({{"message", im.lastMessage}, {"source", app.ui().sourceName}});
    std::printf("fieldscope: import: %s\n", im.lastMessage.c_str());
    importStarted_ = false;
    return next();
  }
  if (s->contains("export")) {
    if (!export_) return next();
    const nlohmann::json& ex = s->at("export");
    if (ex.contains("cancel_at_rows") && export_->rowsDone >= ex["cancel_at_rows"].get<int>()) export_->cancel = true;
    if (!export_->finished) return;
    std::lock_guard<std::mutex> lock(export_->mutex);
    log_["exports"].push_back({{"path", ex.value("path", "")},
                               {"ok", export_->ok},
                               {"message", export_->message},
                               {"rows_done", export_->rowsDone.load()},
                               {"state", view.saveState()}});
    std::printf("fieldscope: export %s: %s\n", export_->ok ? "finished" : "failed", export_->message.c_str());
    export_.reset();
    return next();
  }
}

void StepsScriptElement::finish(AppHost& app) {
  if (finished_) return;
  finished_ = true;
  const int errors = app.context().validationErrors();
  log_["validation_errors"] = errors;
  log_["state"] = app.view()->saveState();
  log_["source"] = app.ui().sourceName;  // the view's title: the open file
  if (!logPath_.empty()) {
    try {
      writeBytesAtomically(logPath_, log_.dump(1) + "\n");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "fieldscope: %s\n", e.what());
    }
  }
  app.exit(errors == 0 && log_["errors"].empty() ? 0 : 1);
}

}  // namespace fieldscope
