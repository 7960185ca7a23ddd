#include "app/gui/gui_app.h"
#include "app/gui/device_choice.h"
#include "model/util/compute_options.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "app/gui/grid_source.h"
#include "app/gui/model_source.h"
#include "app/gui/pattern_source.h"
#include "app/gui/procedural_source.h"
#include "app/gui/seed_plane.h"
#include "app/gui/shipped_models.h"
#include "app/version.h"
#include "model/io/atomic_file.h"
#include "model/io/png_file.h"

namespace fieldscope {

namespace {
void parseSize(const std::string& s, int& w, int& h) {
  if (std::sscanf(s.c_str(), "%dx%d", &w, &h) != 2 || w < 64 || h < 64 || w > 8192 || h > 8192)
    throw std::runtime_error("--size '" + s + "': expected WxH, e.g. 1280x720");
}

std::string configDir() {
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return std::string(x) + "/fieldscope";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.config/fieldscope";
  return "";
}

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

struct GuiApp::BenchRecorder {
  std::vector<double> frameMs, composeMs;  // while the script moves the view
  double startTime = 0, lastInputTime = -1, tilesCompleteAt = -1, convergedAt = -1;
  uint64_t tilesAtStart = 0;
};

GuiApp::GuiApp(const GuiOptions& options) : options_(options) {
  int w = 1280, h = 720;
  parseSize(options.windowSize, w, h);
  std::optional<Session> restored;
  window_ = std::make_unique<Window>("Fieldscope", w, h);
  ContextOptions co;
  co.gpuIndex = options.gpuIndex;
  // --device/--precision: where the models run; on CUDA the Vulkan device is that GPU.
  const ComputeOptions compute = parseComputeOptions(options.device, options.precision);
  setViewerCompute(compute);
  co.cudaDevice = cudaDeviceIndex(compute);
  co.instanceExtensions = Window::requiredExtensions();
  co.makeSurface = [this](VkInstance i) { return window_->createSurface(i); };
  ctx_ = std::make_unique<VulkanContext>(co);
  presenter_ = std::make_unique<Presenter>(*ctx_, *window_);
  const bool automated = !options.screenshotPath.empty() || options.patternTest || !options.inputScript.empty();
  if (!automated && !configDir().empty()) {
    std::error_code ec;
    std::filesystem::create_directories(configDir(), ec);
    if (!ec) iniPath_ = configDir() + "/imgui.ini";
  }
  imgui_ = std::make_unique<ImGuiLayer>(*ctx_, *window_, *presenter_, iniPath_);

  // The session (last model, sample, view, settings) unless --no-session; the self-test
  // never uses one.
  if (!options.noSession && !options.patternTest && !SessionFile::defaultPath().empty()) {
    SessionFile file(SessionFile::defaultPath());
    std::string problem;
    restored = file.load(problem);
    if (!problem.empty()) {
      ui_.statusNote = problem;
      std::fprintf(stderr, "fieldscope: %s\n", problem.c_str());
    }
    ui_.settings.sessionPath = file.path().string();
    session_ = std::make_unique<SessionAutosave>(std::move(file));
    if (restored) session_->setSaved(*restored);
  }
  // The tile cache budget: the session's, within what one storage buffer may hold here.
  SettingsState& set = ui_.settings;
  set.maxTileCacheMB = std::clamp(int(size_t(PyramidView::maxSlots(*ctx_)) * PyramidView::kSlotBytes / 1048576),
                                  ViewerSettings::kMinTileCacheMB, ViewerSettings::kMaxTileCacheMB);
  set.tileCacheMB = std::min(restored ? restored->settings.tileCacheMB : ViewerSettings::kDefaultTileCacheMB,
                             set.maxTileCacheMB);
  set.editTileCacheMB = set.tileCacheMB;
  pyramid_ = std::make_unique<PyramidView>(*ctx_, PyramidView::slotsForMegabytes(set.tileCacheMB));
  pyramid_->setNaive(options.naiveDecode);
  compositor_ = std::make_unique<Compositor>(*ctx_, pyramid_->atlasBuffer(), pyramid_->atlasBytes(),
                                             PyramidView::kTileSize, pyramid_->exactBuffer(),
                                             pyramid_->exactLayerBytes());
  if (!options.inputScript.empty()) {
    script_ = InputScript::make(options.inputScript);
    if (!script_->exportWidth()) bench_ = std::make_unique<BenchRecorder>();
  }
  ui_.deviceName = ctx_->deviceName();
  ui_.vulkanApi = ctx_->apiVersionText();
  ui_.backendName = std::string(sharedBackendName(pyramid_->atlas().backend())) + ", torch " + describe(compute);
  ui_.torchVersion = torchVersion();
  ui_.imguiVersion = IMGUI_VERSION;
  for (const auto& m : findShippedModels()) ui_.shippedModels.push_back(m.string());
  if (!ui_.shippedModels.empty())
    std::snprintf(ui_.openModelInput, sizeof(ui_.openModelInput), "%s", ui_.shippedModels.front().c_str());
  setSource(options.patternTest ? makePatternSource() : makeProceduralSource());
  ui_.showPerf = options.showPerf || (restored && restored->showPerf);
  ui_.settings.show = restored && restored->showSettings;
  if (!options.initialView.empty()) {
    double cx = 0.5, cy = 0.5, zoom = 1.0;
    if (std::sscanf(options.initialView.c_str(), "%lf,%lf,%lf", &cx, &cy, &zoom) != 3 || !(zoom > 0))
      throw std::runtime_error("--view '" + options.initialView + "': expected cx,cy,zoom, e.g. 0.5,0.5,10");
    initialView_ = std::array<double, 3>{cx, cy, zoom};
  }
  restore(restored);
}

// Command-line --model starts fresh (its --seed/--blend/--grid, its --view); without it the
// session's model, sample and view come back, each overridden by --seed/--blend/--grid and
// --view when given.
void GuiApp::restore(const std::optional<Session>& session) {
  const bool modelFromCli = !options_.modelPath.empty();
  const bool sampleFromCli = modelFromCli || options_.seedGiven || !options_.blend.empty() || options_.startWithGrid;
  std::string modelPath = options_.modelPath;
  if (!modelFromCli && session) {
    modelPath = session->modelPath;
    if (session->haveView && !initialView_) initialView_ = std::array<double, 3>{session->cx, session->cy, session->zoom};
  }
  if (modelPath.empty()) return;
  if (modelFromCli) {
    openModel(modelPath);
  } else {
    std::string error;
    if (!openModel(modelPath, &error)) {
      ui_.statusNote = "session: could not reopen the model: " + error;
      std::fprintf(stderr, "fieldscope: %s\n", ui_.statusNote.c_str());
      initialView_.reset();
      return;
    }
  }
  SampleState& st = ui_.sample;
  if (!st.model) return;
  if (sampleFromCli) {
    st.edit = SampleSpec{};
    st.edit.seed = options_.seed;
    if (!options_.blend.empty()) {
      unsigned long long b = 0;
      float t = 0;
      if (std::sscanf(options_.blend.c_str(), "%llu,%f", &b, &t) != 2 || t < 0 || t > 1)
        throw std::runtime_error("--blend '" + options_.blend + "': expected B,t with t in [0,1], e.g. 7,0.5");
      st.edit.seedB = b;
      st.edit.t = t;
      st.edit.blend = true;
    }
    st.gridRequested = options_.startWithGrid;
  } else {
    st.edit = session->sample;
    st.gridRequested = session->grid;
  }
  st.history.clear();
  st.historyIndex = -1;
  showSample(st.edit);
}

Session GuiApp::sessionNow() const {
  Session s;
  const SampleState& st = ui_.sample;
  if (st.model) {
    std::error_code ec;
    const auto p = std::filesystem::weakly_canonical(std::filesystem::absolute(st.model->path), ec);
    s.modelPath = ec ? st.model->path.string() : p.string();
    if (st.gridMode) {
      s.grid = true;
      s.sample = st.edit;
      s.sample.seed = gridFirstSeed_;
      s.sample.blend = false;
    } else if (st.historyIndex >= 0) {
      s.sample = st.history[size_t(st.historyIndex)];
    }
  }
  s.haveView = true;
  s.cx = ui_.view.centerX();
  s.cy = ui_.view.centerY();
  s.zoom = ui_.view.zoom();
  s.settings.tileCacheMB = ui_.settings.tileCacheMB;
  s.showPerf = ui_.showPerf;
  s.showSettings = ui_.settings.show;
  return s;
}

void GuiApp::saveSession(double now, bool exiting) {
  if (!session_ || !layoutDone_) return;
  const Session s = sessionNow();
  const std::string error = exiting ? session_->flush(s) : session_->offer(s, now);
  if (!error.empty()) {
    ui_.statusNote = error;
    std::fprintf(stderr, "fieldscope: %s\n", error.c_str());
  }
}

void GuiApp::applySettings() {
  SettingsState& st = ui_.settings;
  if (!st.applyRequested) return;
  st.applyRequested = false;
  const int slots = PyramidView::slotsForMegabytes(st.editTileCacheMB);
  try {
    vkDeviceWaitIdle(ctx_->device());  // frames in flight read the old atlas
    pyramid_->resizeAtlas(slots);
    compositor_->setAtlas(pyramid_->atlasBuffer(), pyramid_->atlasBytes());
    st.tileCacheMB = st.editTileCacheMB;
    ui_.statusNote = "tile cache: " + std::to_string(st.tileCacheMB) + " MB (" + std::to_string(slots) + " tiles)";
    ui_.viewChanged = true;
  } catch (const std::exception& e) {
    st.editTileCacheMB = st.tileCacheMB;
    ui_.showError("Could not change the tile cache", e.what());
  }
}

void GuiApp::resetView() {
  ui_.zoomAnimator.cancel();
  ui_.view.reset();
  ui_.viewChanged = true;
}

GuiApp::~GuiApp() {
  if (ctx_) vkDeviceWaitIdle(ctx_->device());
  viewportImage_.reset();
  compositor_.reset();
  pyramid_.reset();
  imgui_.reset();
  presenter_.reset();
  ctx_.reset();
  window_.reset();
}

void GuiApp::applyInitialView() {
  ui_.view.reset();
  if (!initialView_) return;
  const auto [cx, cy, zoom] = *initialView_;
  const double fit = ui_.view.unitsPerPixel();
  ui_.view.set(cx, cy, fit / zoom);
}

void GuiApp::setSource(std::shared_ptr<FieldSource> source) {
  currentSource_ = source;
  pyramid_->setSource(source);
  ui_.sourceName = source->name();
}

void GuiApp::showSample(const SampleSpec& spec) {
  SampleState& st = ui_.sample;
  if (!st.model) return;
  st.gridMode = false;
  setSource(makeSampleSource(st.model, spec));
  if (st.historyIndex < 0 || !(st.history[st.historyIndex] == spec)) {
    st.history.resize(size_t(st.historyIndex + 1));  // a new branch drops the forward history
    st.history.push_back(spec);
    st.historyIndex = int(st.history.size()) - 1;
  }
}

void GuiApp::handleSampleRequests(double now) {
  SampleState& st = ui_.sample;
  if (st.gridRequested && st.model) {
    st.gridRequested = false;
    st.gridMode = true;
    gridFirstSeed_ = st.edit.seed;
    setSource(makeGridSource(st.model, gridFirstSeed_, st.edit.steps, st.edit.eta, gridLayout_));
    resetView();
  }
  if (ui_.clicked && st.gridMode) {
    if (auto cell = gridLayout_.cellAt(ui_.clickX, ui_.clickY)) {
      st.edit.seed = gridFirstSeed_ + uint64_t(*cell);
      st.edit.blend = st.edit.plane = false;
      st.applyRequested = true;
      resetView();
    }
  }
  if (st.animate && st.model && !st.gridMode && pyramid_->converged(ui_.view)) {
    // The next step of the walk once the current one has landed.
    const double dt = lastAnimateTime_ > 0 ? now - lastAnimateTime_ : 0.0;
    st.edit.blend = true;
    st.edit.plane = false;
    st.edit.t += float(std::min(dt, 1.0) * st.animateSpeed);
    if (st.edit.t >= 1.0f) {
      st.edit.t -= 1.0f;
      st.edit.seed = st.edit.seedB;
      st.edit.seedB += 1;
    }
    st.applyRequested = true;
    lastAnimateTime_ = now;
  }
  if (!st.animate) lastAnimateTime_ = 0;
  if (st.applyRequested) {
    st.applyRequested = false;
    showSample(st.edit);
  }
}

void GuiApp::handleExport() {
  ExportState& e = ui_.exporting;
  if (e.running && e.running->finished) {
    {
      std::lock_guard<std::mutex> lock(e.running->mutex);
      e.lastOk = e.running->ok;
      e.lastMessage = e.running->message;
    }
    ++e.finished;
    ui_.statusNote = e.lastMessage;
    if (!e.lastOk && !e.running->cancel) ui_.showError("Export failed", e.lastMessage);
    e.running.reset();  // (not under its own mutex: this may be the last reference)
  }
  if (!e.startRequested) return;
  e.startRequested = false;
  const Region r = ui_.view.region();
  nlohmann::json side;
  side["region"] = {r.x0, r.y0, r.x1, r.y1};
  side["size"] = {e.width, e.height};
  side["field"] = ui_.sourceName;
  if (ui_.sample.model && !ui_.sample.gridMode && ui_.sample.historyIndex >= 0) {
    const SampleSpec& sp = ui_.sample.history[ui_.sample.historyIndex];
    side["model"] = ui_.sample.model->path.string();
    side["seed"] = sp.seed;
    side["steps"] = sp.steps;
    side["eta"] = sp.eta;
    if (sp.blend) side["blend"] = {{"seed_b", sp.seedB}, {"t", sp.t}};
    if (sp.plane) {
      const SeedMix mix = seedPlaneMix(sp.planeX, sp.planeY);
      side["seed_plane"] = {{"x", sp.planeX}, {"y", sp.planeY}, {"seeds", mix.seeds}, {"weights", mix.weights}};
    }
  }
  try {
    auto progress = std::make_shared<ExportProgress>();
    pyramid_->worker().runTask(
        makeExportTask(currentSource_, r, e.width, e.height, e.path, side.dump(2) + "\n", progress));
    e.running = progress;
  } catch (const std::exception& ex) {
    ui_.showError("Cannot export", ex.what());
  }
}

bool GuiApp::openModel(const std::string& path, std::string* error) {
  try {
    auto model = loadImageModel(path);
    ui_.sample.model = model;
    ui_.sample.history.clear();
    ui_.sample.historyIndex = -1;
    ui_.sample.edit = SampleSpec{};
    showSample(ui_.sample.edit);
    resetView();
    return true;
  } catch (const std::exception& e) {
    // The current field stays; the user sees what went wrong.
    if (error) {
      *error = e.what();
      return false;
    }
    ui_.showError("Could not open the model", e.what());
    std::fprintf(stderr, "fieldscope: %s\n", e.what());
    return false;
  }
}

void GuiApp::handleDroppedFiles() {
  for (const std::string& f : window_->takeDroppedFiles()) openModel(f);
  if (!ui_.openModelPath.empty()) {
    std::string p;
    p.swap(ui_.openModelPath);
    openModel(p);
  }
}

void GuiApp::buildUi(ViewportRect& rect) {
  drawMenuBar(ui_);
  const float top = ImGui::GetFrameHeight();
  const float bottom = drawStatusBar(ui_);
  rect = drawViewportPanel(ui_, top, bottom);
  drawPerfPanel(ui_);
  drawExportDialog(ui_);
  drawSettingsPanel(ui_);
  if (!options_.patternTest) drawSamplePanel(ui_);
  drawOpenModelDialog(ui_);
  drawAboutDialog(ui_);
  drawErrorDialog(ui_);
}

void GuiApp::updateFrameStats(double dtMs) {
  ui_.frameMs = ui_.frameMs == 0 ? dtMs : 0.9 * ui_.frameMs + 0.1 * dtMs;
  ui_.fps = ui_.frameMs > 0 ? 1000.0 / ui_.frameMs : 0;
  ui_.frameHistory.push_back(float(dtMs));
  if (ui_.frameHistory.size() > 240) ui_.frameHistory.pop_front();
  ui_.pyramid = pyramid_->stats();
}

bool GuiApp::renderFrame(const ViewportRect& rect, bool still, std::vector<uint8_t>* capture) {
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  const float clear[4] = {bg.x * 0.6f, bg.y * 0.6f, bg.z * 0.6f, 1.0f};
  auto frame = presenter_->begin(clear);
  if (!frame) {
    ImGui::Render();  // keep ImGui's frame pairing; nothing is drawn
    return false;
  }
  if (presenter_->swapchainRecreated()) imgui_->onSwapchainRecreated(presenter_->minImageCount());
  const uint32_t w = uint32_t(ui_.view.width()), h = uint32_t(ui_.view.height());
  if (!viewportImage_ || viewportImage_->width() != w || viewportImage_->height() != h) {
    vkDeviceWaitIdle(ctx_->device());  // the old image may be read by the other frame in flight
    viewportImage_ = std::make_unique<OffscreenImage>(*ctx_, w, h);
  }
  const double fx = rect.hovered ? rect.mouseX : w * 0.5, fy = rect.hovered ? rect.mouseY : h * 0.5;
  ComposeParams params = pyramid_->update(ui_.view, fx, fy, still, frame->number, presenter_->completedFrame());
  params.nearest = options_.patternTest;
  ui_.composeGpuMs = compositor_->gpuMilliseconds(frame->slot);  // this slot's previous pass
  compositor_->record(frame->cmd, *viewportImage_, params, frame->slot);
  presenter_->blit(*frame, *viewportImage_, rect.x, rect.y);
  presenter_->beginRenderPass(*frame);
  imgui_->render(frame->cmd);
  // Read after update(): at least the timeline values of every tile/row this frame shows.
  presenter_->end(*frame, capture, pyramid_->vulkanWaits());
  return true;
}

int GuiApp::finishPatternTest(const std::vector<uint8_t>& screen, const ViewportRect& rect) {
  const VkExtent2D e = presenter_->extent();
  const int w = ui_.view.width(), h = ui_.view.height();
  int64_t bad = -1;
  if (rect.x + w <= int(e.width) && rect.y + h <= int(e.height))
    bad = countPatternMismatches(screen.data() + (size_t(rect.y) * e.width + rect.x) * 4, w, h, int64_t(e.width) * 4,
                                 17, 5);
  const int errors = ctx_->validationErrors();
  std::printf("selftest (window %ux%u, viewport %dx%d at %d,%d): %lld pixels differ from the pattern\n", e.width,
              e.height, w, h, rect.x, rect.y, (long long)bad);
  std::printf("selftest: validation %s, errors: %d\n", ctx_->validationEnabled() ? "on" : "off", errors);
  const bool ok = bad == 0 && errors == 0;
  std::printf("selftest: %s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}

int GuiApp::run() {
  const int code = runLoop();
  saveSession(glfwGetTime(), true);
  return code;
}

bool GuiApp::scriptedExportGoesOn(int& exitCode) {
  const ExportState& e = ui_.exporting;
  if (e.finished == 0) return true;
  if (framesAfterExport_ < 0) {
    std::printf("fieldscope: export %s: %s\n", e.lastOk ? "finished" : "failed", e.lastMessage.c_str());
    if (!ui_.errorTitle.empty())
      std::printf("fieldscope: error dialog: %s: %s\n", ui_.errorTitle.c_str(), ui_.errorMessage.c_str());
  }
  // A few more frames show the result (and the error dialog) before a --screenshot.
  if (++framesAfterExport_ < 3 && !options_.screenshotPath.empty()) return true;
  exitCode = e.lastOk && ctx_->validationErrors() == 0 ? 0 : 1;
  return false;
}

int GuiApp::runLoop() {
  double lastFrame = glfwGetTime();
  int frames = 0, scriptFrame = 0;
  bool firstLayout = true;
  bool moving = true;
  int minimisedFrames = 0;
  while (!window_->shouldClose() && !ui_.quitRequested) {
    // Moving: full rate. Still but waiting for decodes: ~10 fps, because on a 2-core CPU every
    // lavapipe frame takes CPU from the decoder; new rows still show within 0.1 s. Idle: sleep.
    const bool scripted = (script_ && (!bench_ || bench_->lastInputTime < 0)) || options_.patternTest ||
                          (!options_.screenshotPath.empty() && !options_.waitForDetail);
    if (moving || scripted)
      glfwPollEvents();
    else if (!pyramid_->converged(ui_.view))
      glfwWaitEventsTimeout(0.1);
    else
      glfwWaitEventsTimeout(0.5);
    if (window_->minimised()) {
      glfwWaitEventsTimeout(0.1);
      // A scripted minimise (tests) comes back by itself.
      if (script_ && ++minimisedFrames > 10) glfwRestoreWindow(window_->handle());
      continue;
    }
    handleDroppedFiles();
    ui_.viewChanged = false;
    ui_.clicked = false;
    ui_.now = glfwGetTime();
    if (script_ && !bench_) {
      // GUI actions, before the panels are drawn: File > Export PNG..., type, press Export.
      const ScriptStep step = script_->step(scriptFrame++);
      ExportState& e = ui_.exporting;
      if (step.openExport) e.dialogRequested = true;
      if (step.exportWidth > 0) e.typedWidth = step.exportWidth;
      if (!step.exportPath.empty()) e.typedPath = step.exportPath;
      if (step.pressExport) e.pressExport = true;
    }
    imgui_->newFrame();
    ViewportRect rect;
    buildUi(rect);
    const int vw = std::clamp(rect.width, 1, PyramidView::kMaxWidth);
    const int vh = std::clamp(rect.height, 1, PyramidView::kMaxHeight);
    if (vw != ui_.view.width() || vh != ui_.view.height()) {
      ui_.view.setViewport(vw, vh);
      if (firstLayout) applyInitialView();
      firstLayout = false;
      layoutDone_ = true;
      ui_.viewChanged = true;
    }
    if (ui_.zoomAnimator.active()) {  // smooth wheel zoom: the next step toward its target
      ui_.zoomAnimator.update(ui_.view, ui_.now);
      ui_.viewChanged = true;
    }
    if (options_.patternTest) ui_.view = alignedPatternView(vw, vh, 17, 5);
    applySettings();
    handleSampleRequests(glfwGetTime());
    handleExport();
    const double now = glfwGetTime();
    if (bench_ && !(bench_->lastInputTime >= 0)) {
      if (scriptFrame == 0) {
        bench_->startTime = now;
        bench_->tilesAtStart = pyramid_->stats().worker.tilesDecoded;
      }
      const ScriptStep step = script_->step(scriptFrame++);
      if (step.done) {
        bench_->lastInputTime = now;
      } else {
        if (step.zoomFactor != 1.0) ui_.view.zoomAbout(vw * 0.5, vh * 0.5, step.zoomFactor);
        if (step.panX != 0.0 || step.panY != 0.0) ui_.view.pan(step.panX, step.panY);
        if (step.windowWidth > 0) glfwSetWindowSize(window_->handle(), step.windowWidth, step.windowHeight);
        if (step.iconify) glfwIconifyWindow(window_->handle());
        if (step.restore) glfwRestoreWindow(window_->handle());
        ui_.viewChanged = true;
      }
    }
    if (ui_.viewChanged) ui_.lastInputTime = now;
    moving = now - ui_.lastInputTime < 0.12;
    const bool still = !moving && !options_.patternTest;
    if (!moving) saveSession(now, false);  // throttled; only when something changed

    bool capture = false;
    if (options_.patternTest)
      capture = pyramid_->tilesComplete() && frames >= 2;
    else if (!options_.screenshotPath.empty())
      capture = frames + 1 >= options_.frames && (!options_.waitForDetail || pyramid_->converged(ui_.view)) &&
                (!script_ || bench_ || framesAfterExport_ >= 2);
    std::vector<uint8_t> screen;
    if (!renderFrame(rect, still, capture ? &screen : nullptr)) continue;
    ++frames;
    const double t = glfwGetTime();
    const double dtMs = (t - lastFrame) * 1000.0;
    lastFrame = t;
    updateFrameStats(dtMs);

    int exitCode = 0;
    if (script_ && !bench_ && !capture && !scriptedExportGoesOn(exitCode)) return exitCode;
    if (bench_) {
      if (bench_->lastInputTime < 0) {
        if (scriptFrame > 1) {
          bench_->frameMs.push_back(dtMs);
          if (ui_.composeGpuMs >= 0) bench_->composeMs.push_back(ui_.composeGpuMs);
        }
      } else {
        if (bench_->tilesCompleteAt < 0 && (pyramid_->tilesComplete() || options_.naiveDecode))
          bench_->tilesCompleteAt = t;
        if (bench_->convergedAt < 0 && pyramid_->converged(ui_.view)) bench_->convergedAt = t;
        if ((bench_->tilesCompleteAt >= 0 && bench_->convergedAt >= 0) || t - bench_->lastInputTime > 120) {
          nlohmann::json j;
          const double moveSeconds = bench_->lastInputTime - bench_->startTime;
          const auto decoded = pyramid_->stats().worker.tilesDecoded - bench_->tilesAtStart;
          j["device"] = ctx_->deviceName();
          j["window"] = options_.windowSize;
          j["viewport"] = std::to_string(ui_.view.width()) + "x" + std::to_string(ui_.view.height());
          j["script"] = script_->name();
          j["field"] = ui_.sourceName;
          j["decode_path"] = options_.naiveDecode ? "naive: whole view after every change" : "tile pyramid + exact view";
          j["frames_while_moving"] = bench_->frameMs.size();
          j["frame_ms_p50"] = percentile(bench_->frameMs, 0.5);
          j["frame_ms_p95"] = percentile(bench_->frameMs, 0.95);
          // Timestamp queries; on lavapipe they do not bracket the CPU work (shared_tensor_bench
          // measures the pass by wall time instead).
          j["compositor_timestamp_ms_p50"] = percentile(bench_->composeMs, 0.5);
          j["compositor_timestamp_ms_p95"] = percentile(bench_->composeMs, 0.95);
          j["machine_load_average_1min"] = loadAverage();
          j["tiles_decoded"] = decoded;
          j["tile_decode_throughput_tiles_per_s"] = decoded / std::max(1e-9, t - bench_->startTime);
          j["last_input_to_all_visible_tiles_s"] =
              bench_->tilesCompleteAt >= 0 ? bench_->tilesCompleteAt - bench_->lastInputTime : -1.0;
          j["last_input_to_exact_view_s"] = bench_->convergedAt >= 0 ? bench_->convergedAt - bench_->lastInputTime : -1.0;
          j["scripted_motion_s"] = moveSeconds;
          j["validation_errors"] = ctx_->validationErrors();
          const std::string text = j.dump(2) + "\n";
          std::fputs(text.c_str(), stdout);
          if (!options_.benchOut.empty()) writeBytesAtomically(options_.benchOut, text);
          return ctx_->validationErrors() == 0 ? 0 : 1;
        }
      }
    }
    if (capture) {
      if (options_.patternTest) return finishPatternTest(screen, rect);
      const VkExtent2D e = presenter_->extent();
      Rgba8Image img{int(e.width), int(e.height), std::move(screen)};
      writePng(options_.screenshotPath, img);
      std::printf("fieldscope: wrote %s (%ux%u, after %d frames)\n", options_.screenshotPath.c_str(), e.width, e.height,
                  frames);
      const bool exportFailed = script_ && !bench_ && !ui_.exporting.lastOk;
      return ctx_->validationErrors() == 0 && !exportFailed ? 0 : 1;
    }
  }
  return ctx_->validationErrors() == 0 ? 0 : 1;
}

int runGui(const GuiOptions& options) {
  if (!std::getenv("XDG_RUNTIME_DIR")) {
    // Mesa and some Vulkan layers want one; without it they print warnings.
    const std::string dir = "/tmp/fieldscope-runtime-" + std::to_string(::getuid());
    ::mkdir(dir.c_str(), 0700);
    ::setenv("XDG_RUNTIME_DIR", dir.c_str(), 0);
  }
  GuiApp app(options);
  return app.run();
}

}  // namespace fieldscope
