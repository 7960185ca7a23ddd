#include "app/gui/gui_app.h"

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

#include "app/cli/shipped_models.h"
#include "app/gui/automation/bench_element.h"
#include "app/gui/automation/export_script_element.h"
#include "app/gui/automation/open_script_element.h"
#include "app/gui/automation/pattern_selftest_element.h"
#include "app/gui/automation/screenshot_element.h"
#include "app/gui/automation/steps_script_element.h"
#include "app/gui/device_choice.h"
#include "app/gui/procedural_source.h"
#include "app/gui/pyramid_view.h"
#include "app/gui/session_file.h"
#include "app/gui/startup_plan.h"
#include "app/panels/side_panel.h"
#include "app/version.h"
#include "app/views/field_view.h"
#include "model/io/atomic_file.h"
#include "model/util/compute_options.h"
#include "model/util/error_text.h"

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

constexpr const char* kNothingOpen =
    "The test pattern: a procedural field that checks the renderer. Open a model to sample from it.";
}  // namespace

GuiApp::GuiApp(const GuiOptions& options, const DomainList& domains) : options_(options), domains_(domains) {
  int w = 1280, h = 720;
  parseSize(options.windowSize, w, h);
  // --device/--precision: where the models run; on CUDA the Vulkan device is that GPU.
  compute_ = std::make_unique<ComputeOptions>(parseComputeOptions(options.device, options.precision));
  window_ = std::make_unique<Window>("Fieldscope", w, h);
  ContextOptions co;
  co.gpuIndex = options.gpuIndex;
  co.cudaDevice = cudaDeviceIndex(*compute_);
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
  loader_ = std::make_unique<DocumentLoader>(*compute_);

  // The session (last model, view state, panels, settings) unless --no-session; the window
  // self-test never uses one.
  std::optional<Session> restored;
  if (!options.noSession && !options.patternTest && !SessionFile::defaultPath().empty()) {
    SessionFile file(SessionFile::defaultPath());
    std::string problem;
    restored = file.load(problem);
    if (!problem.empty()) report("Session", problem, false);
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
  services_ = std::make_unique<ViewServices>(ViewServices{*ctx_, *compute_, PyramidView::slotsForMegabytes(set.tileCacheMB),
                                                          options.naiveDecode, [] { glfwPostEmptyEvent(); }});
  ui_.deviceName = ctx_->deviceName();
  ui_.vulkanApi = ctx_->apiVersionText();
  ui_.torchVersion = torchVersion();
  ui_.imguiVersion = IMGUI_VERSION;
  ui_.showPerf = options.showPerf || (restored && restored->showPerf);
  ui_.settings.show = restored && restored->showSettings;
  if (restored) {
    ui_.recentFiles = restored->recentFiles;
    ui_.recentFolders = restored->recentFolders;
  }
  showProceduralField();
  makeElements();
  for (auto& e : elements_) e->attach(*this);
  if (!options.patternTest) restore(restored);
}

void GuiApp::makeElements() {
  if (options_.patternTest) elements_.push_back(std::make_unique<PatternSelftestElement>());
  ExportScriptElement* exporter = nullptr;
  OpenScriptElement* opener = nullptr;
  if (options_.inputScript.rfind("steps:", 0) == 0) {
    elements_.push_back(std::make_unique<StepsScriptElement>(options_.inputScript.substr(6)));
  } else if (options_.inputScript.rfind("open:", 0) == 0) {
    auto e = std::make_unique<OpenScriptElement>(options_.inputScript.substr(5));
    opener = e.get();
    elements_.push_back(std::move(e));
  } else if (!options_.inputScript.empty()) {
    auto script = InputScript::make(options_.inputScript);
    if (script->exportWidth()) {
      auto e = std::make_unique<ExportScriptElement>(std::move(script), options_.screenshotPath.empty());
      exporter = e.get();
      elements_.push_back(std::move(e));
    } else {
      elements_.push_back(std::make_unique<BenchElement>(
          std::move(script), BenchElement::Labels{options_.windowSize, options_.benchOut, options_.naiveDecode}));
    }
  }
  if (!options_.screenshotPath.empty()) {
    std::function<bool()> ready, ok;
    if (exporter) {
      ready = [exporter] { return exporter->settled(); };
      ok = [exporter] { return exporter->ok(); };
    }
    if (opener) ready = [opener] { return opener->settled(); };
    elements_.push_back(std::make_unique<ScreenshotElement>(options_.screenshotPath, options_.frames,
                                                            options_.waitForDetail, ready, ok));
  }
}

GuiApp::~GuiApp() {
  if (ctx_) vkDeviceWaitIdle(ctx_->device());
  loader_.reset();
  elements_.clear();
  view_.reset();
  viewportImage_.reset();
  imgui_.reset();
  presenter_.reset();
  ctx_.reset();
  window_.reset();
}

double GuiApp::now() const { return glfwGetTime(); }

void GuiApp::report(const std::string& title, const std::string& text, bool dialog) {
  const std::string message = plainErrorText(text);  // never a C++ backtrace in a dialog
  std::fprintf(stderr, "fieldscope: %s\n", message.c_str());
  if (dialog)
    ui_.showError(title, message);
  else
    ui_.statusNote = message;
}

void GuiApp::setView(std::unique_ptr<DomainView> view) {
  view_ = std::move(view);  // the old view's worker and memory go here (it waits for the GPU)
  ui_.activeView = view_.get();
  ui_.exporting.available = view_->exports();
  ui_.sourceName = view_->title();
  ui_.backendName = view_->backendName() + ", torch " + describe(*compute_);
}

void GuiApp::showProceduralField() {
  setView(std::make_unique<FieldView>(makeProceduralSource(), *services_, kNothingOpen));
  viewDomain_.clear();
  viewFile_.clear();
}

// What to open (docs/architecture.md "The app loop"): startup_plan.h decides from the command
// line and the session.
void GuiApp::restore(const std::optional<Session>& session) {
  FirstStart first;
  if (const std::filesystem::path m = firstStartModel(); !m.empty()) {
    first.model = m.string();
    if (const auto seeds = featuredSeeds(m); !seeds.empty()) first.seed = seeds.front();
  }
  const StartupPlan plan = planStartup(options_, session, first);
  if (!plan.file.empty()) {
    open(plan.file, plan.state, plan.fromUser);
    return;
  }
  try {
    view_->restoreState(plan.state);  // the procedural field: only its view
  } catch (const std::exception& e) {
    if (!plan.stateFromSession || !session_) throw;  // --view of the command line
    report("Session", session_->file().setAside(e.what()), false);
  }
}

void GuiApp::open(const std::string& file, nlohmann::json state, bool fromUser) {
  try {
    const Domain& domain = domains_.route(file);
    loader_->start({file, &domain, std::move(state), fromUser});
  } catch (const std::exception& e) {
    // The view on screen stays; the user sees what went wrong.
    report("Could not open " + std::filesystem::path(file).filename().string(),
           fromUser ? e.what() : "session: could not reopen the model: " + std::string(e.what()), fromUser);
  }
}

void GuiApp::takeLoadedDocument() {
  if (!loaded_) loaded_ = loader_->take();
  if (!loaded_ || (ui_.exporting.running && !ui_.exporting.running->finished)) return;  // after the export
  DocumentLoader::Result r = std::move(*loaded_);
  loaded_.reset();
  const std::string name = r.request.file.filename().string();
  if (!r.document) {
    report("Could not open " + name, r.request.fromUser ? r.error : "session: could not reopen the model: " + r.error,
           r.request.fromUser);
    return;
  }
  std::unique_ptr<DomainView> view;
  try {
    view = r.request.domain->createView(r.document, *services_);
  } catch (const std::exception& e) {
    report("Could not open " + name, e.what(), true);
    return;
  }
  try {
    if (!r.request.state.is_null()) view->restoreState(r.request.state);
  } catch (const std::exception& e) {
    // The model opens with its defaults. A session that cannot be restored goes aside (kept
    // as .bad, never deleted); a bad command line (--view) is said.
    if (!r.request.fromUser && session_)
      report("Session", session_->file().setAside(e.what()), false);
    else
      report("Could not restore the view", name + ": " + e.what(), r.request.fromUser);
  }
  setView(std::move(view));
  std::error_code ec;
  const auto p = std::filesystem::weakly_canonical(std::filesystem::absolute(r.request.file), ec);
  viewFile_ = ec ? r.request.file.string() : p.string();
  viewDomain_ = r.request.domain->name();
  rememberRecent(ui_.recentFiles, viewFile_);
  ui_.statusNote.clear();
}

Session GuiApp::sessionNow() const {
  Session s;
  s.domain = viewDomain_;
  s.modelPath = viewFile_;
  s.state = view_->saveState();
  s.settings.tileCacheMB = ui_.settings.tileCacheMB;
  s.showPerf = ui_.showPerf;
  s.showSettings = ui_.settings.show;
  s.recentFiles = ui_.recentFiles;
  s.recentFolders = ui_.recentFolders;
  return s;
}

void GuiApp::saveSession(double now, bool exiting) {
  if (!session_ || !layoutDone_ || loader_->busy()) return;  // never save a half-open state
  const Session s = sessionNow();
  const std::string error = exiting ? session_->flush(s) : session_->offer(s, now);
  if (!error.empty()) report("Session", error, false);
}

void GuiApp::applySettings() {
  SettingsState& st = ui_.settings;
  if (!st.applyRequested) return;
  st.applyRequested = false;
  const int slots = PyramidView::slotsForMegabytes(st.editTileCacheMB);
  try {
    view_->setTileCacheSlots(slots);
    services_->tileCacheSlots = slots;
    st.tileCacheMB = st.editTileCacheMB;
    ui_.statusNote = "tile cache: " + std::to_string(st.tileCacheMB) + " MB (" + std::to_string(slots) + " tiles)";
    ui_.lastInputTime = ui_.now;
  } catch (const std::exception& e) {
    st.editTileCacheMB = st.tileCacheMB;
    ui_.showError("Could not change the tile cache", e.what());
  }
}

void GuiApp::pollImport() {
  ImportState& im = ui_.importing;
  if (im.running && im.running->finished) {
    std::shared_ptr<ImportJob> job = std::move(im.running);
    std::lock_guard<std::mutex> lock(job->mutex);
    im.lastMessage = job->message;
    ui_.statusNote = job->message;
    if (job->ok) {
      ui_.openModelPath = job->out;  // opened like any model
      im.closeRequested = true;
    }
  }
  if (!std::exchange(im.startRequested, false) || im.running) return;
  auto job = std::make_shared<ImportJob>();
  job->vae = im.vae, job->ldm = im.ldm, job->config = im.config, job->out = im.out;
  im.lastMessage.clear();
  if (const std::string why = whyNotWritable(job->out); !why.empty()) {  // before reading gigabytes
    im.lastMessage = "cannot write '" + job->out + "': " + why;
    return;
  }
  startImportJob(job);
  im.running = job;
}

void GuiApp::handleExport() {
  ExportState& e = ui_.exporting;
  e.aspect = view_->exportAspect();
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
  try {
    // Before any decoding: a long export must not fail at its end on the destination.
    if (const std::string why = whyNotWritable(e.path); !why.empty())
      throw std::runtime_error("cannot write '" + std::string(e.path) + "': " + why);
    e.running = view_->startExport({e.kind.id, e.path, e.width, e.height, e.kind.pictureAspect > 0 && e.wholePicture});
    std::error_code ec;
    const auto folder = std::filesystem::absolute(std::filesystem::path(e.path), ec).parent_path();
    if (!ec) rememberRecent(ui_.recentFolders, folder.string());
  } catch (const std::exception& ex) {
    // It ends like a failed export (nothing written), so whoever waits for the export hears it.
    e.lastOk = false;
    e.lastMessage = ex.what();
    ++e.finished;
    ui_.statusNote = e.lastMessage;
    ui_.showError("Cannot export", ex.what());
  }
}

void GuiApp::buildUi() {
  drawMenuBar(ui_);
  const float top = ImGui::GetFrameHeight();
  const float bottom = drawStatusBar(ui_);
  // A bar the view keeps under the viewport (the video timeline) is not drawn over the picture.
  const float below = bottom + (view_ ? view_->bottomBarHeight() : 0.f);
  // The view's panel is docked in a column on the right; the viewport ends where it begins.
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float side = sidePanelWidth(vp->Size.x);
  setSidePanelArea(vp->Pos.x + vp->Size.x - side, vp->Pos.y + top, side, vp->Size.y - top - below);
  rect_ = drawViewportPanel(ui_, top, below, side);
  drawPerfPanel(ui_);
  drawExportDialog(ui_);
  drawSettingsPanel(ui_);
  std::string openFile;
  view_->drawPanels(openFile);
  if (!openFile.empty()) ui_.openModelPath = openFile;
  drawOpenModelDialog(ui_);
  drawImportDialog(ui_);
  drawAboutDialog(ui_);
  drawControlsDialog(ui_);
  drawErrorDialog(ui_);
}

void GuiApp::updateFrameStats(double dtMs, bool followed) {
  ui_.frameRate.add(dtMs, followed);
  ui_.frameHistory.push_back(float(dtMs));
  if (ui_.frameHistory.size() > 240) ui_.frameHistory.pop_front();
}

bool GuiApp::renderFrame(bool still, bool continuous, std::vector<uint8_t>* capture) {
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  const float clear[4] = {bg.x * 0.6f, bg.y * 0.6f, bg.z * 0.6f, 1.0f};
  auto frame = presenter_->begin(clear);
  if (!frame) {
    ImGui::Render();  // keep ImGui's frame pairing; nothing is drawn
    return false;
  }
  if (presenter_->swapchainRecreated()) imgui_->onSwapchainRecreated(presenter_->minImageCount());
  const uint32_t w = uint32_t(std::clamp(rect_.width, 1, PyramidView::kMaxWidth));
  const uint32_t h = uint32_t(std::clamp(rect_.height, 1, PyramidView::kMaxHeight));
  if (!viewportImage_ || viewportImage_->width() != w || viewportImage_->height() != h) {
    vkDeviceWaitIdle(ctx_->device());  // the old image may be read by the other frame in flight
    viewportImage_ = std::make_unique<OffscreenImage>(*ctx_, w, h);
  }
  FrameContext f;
  f.cmd = frame->cmd;
  f.target = viewportImage_.get();
  f.frame = frame->number;
  f.completedFrame = presenter_->completedFrame();
  f.slot = frame->slot;
  f.still = still;
  f.focusX = rect_.hovered ? rect_.mouseX : w * 0.5;
  f.focusY = rect_.hovered ? rect_.mouseY : h * 0.5;
  f.mayShowOwnImage = true;
  // 2D views copy straight into the swapchain image when it takes their bytes and holds the
  // viewport (docs/architecture.md "The app loop").
  const VkExtent2D window = presenter_->extent();
  bool direct = false;
  if (presenter_->acceptsDirectCopies() && rect_.x >= 0 && rect_.y >= 0 && rect_.x + int(w) <= int(window.width) &&
      rect_.y + int(h) <= int(window.height)) {
    f.direct = {frame->image, rect_.x, rect_.y, presenter_->directBgra()};
    f.directDrawn = &direct;
  }
  view_->record(f);
  if (const ShownImage own = view_->shownImage(); own.image)
    presenter_->blitStretched(*frame, *own.image, own.width, own.height, rect_.x, rect_.y, int(w), int(h));
  else if (direct)
    presenter_->coverDirect(rect_.x, rect_.y, int(w), int(h));
  else
    presenter_->blit(*frame, *viewportImage_, rect_.x, rect_.y);
  presenter_->beginRenderPass(*frame);
  imgui_->render(frame->cmd);
  // Read after record(): at least the timeline values of everything this frame shows.
  presenter_->end(*frame, capture, view_->waits(), continuous);
  return true;
}

int GuiApp::run() {
  const int code = runLoop();
  saveSession(glfwGetTime(), true);
  return code;
}

int GuiApp::runLoop() {
  double lastFrame = glfwGetTime();
  bool moving = true;
  int minimisedFrames = 0;
  while (!window_->shouldClose() && !ui_.quitRequested && !exitCode_) {
    // Moving: full rate. Still but waiting for decodes or a load: ~10 fps, because on a 2-core
    // CPU every lavapipe frame takes CPU from the decoder; new rows still show within 0.1 s.
    // Idle: sleep until an event.
    const bool driven = std::any_of(elements_.begin(), elements_.end(), [](const auto& e) { return e->drivesFrames(); });
    // A view that has settled within the 0.12 s after an input waits like a still one: its exact
    // view wakes the loop when it lands, and frames meanwhile would only slow that decode.
    const bool settled = view_->settled() && !view_->animating();
    // Frames one after the other: each frame's present waits for the next frame's submit
    // (Presenter::end); before the loop sleeps, the last frame is presented.
    const bool continuous = (moving && !settled) || driven;
    if (!continuous && presenter_) presenter_->flush();
    if (continuous)
      glfwPollEvents();
    else if (!view_->progress().converged || loader_->busy())
      glfwWaitEventsTimeout(0.1);
    else
      glfwWaitEventsTimeout(0.5);
    if (window_->minimised()) {
      if (presenter_) presenter_->flush();
      glfwWaitEventsTimeout(0.1);
      // A scripted minimise (tests) comes back by itself.
      if (!elements_.empty() && ++minimisedFrames > 10) glfwRestoreWindow(window_->handle());
      continue;
    }
    for (const std::string& f : window_->takeDroppedFiles()) open(f, nullptr, true);
    pollImport();
    if (!ui_.openModelPath.empty()) open(std::exchange(ui_.openModelPath, std::string()), nullptr, true);
    if (std::exchange(ui_.testPatternRequested, false) && !(ui_.exporting.running && !ui_.exporting.running->finished))
      showProceduralField();
    takeLoadedDocument();
    ui_.now = glfwGetTime();
    ui_.input = ViewportInput{};
    ui_.loadingLine = loader_->progressLine();
    ui_.viewStatus = view_->status();
    for (auto& e : elements_) e->beforeUi(*this);
    imgui_->newFrame();
    buildUi();
    ViewportInput& input = ui_.input;
    for (auto& e : elements_) e->beforeViewInput(*this, input);
    const bool resized = rect_.width != laidOutWidth_ || rect_.height != laidOutHeight_;
    laidOutWidth_ = rect_.width;
    laidOutHeight_ = rect_.height;
    view_->input(input);
    view_->update(rect_.width, rect_.height, ui_.now);
    if (!layoutDone_ && rect_.width > 1) layoutDone_ = true;
    if (input.any() || resized) ui_.lastInputTime = ui_.now;
    applySettings();
    handleExport();
    if (std::string error = view_->takeError(); !error.empty()) report("Decoding failed", error, true);
    const double now = glfwGetTime();
    moving = now - ui_.lastInputTime < 0.12 || view_->animating();
    if (!moving) saveSession(now, false);  // throttled; only when something changed

    const bool capture = std::any_of(elements_.begin(), elements_.end(), [&](const auto& e) { return e->wantsCapture(*this); });
    std::vector<uint8_t> screen;
    if (!renderFrame(!moving, continuous, capture ? &screen : nullptr)) continue;
    ++frames_;
    const double t = glfwGetTime();
    const double dtMs = (t - lastFrame) * 1000.0;
    lastFrame = t;
    updateFrameStats(dtMs, continuous);
    for (auto& e : elements_) e->afterFrame(*this, dtMs, capture ? &screen : nullptr);
  }
  if (exitCode_) return *exitCode_;
  return ctx_->validationErrors() == 0 ? 0 : 1;
}

int runGui(const GuiOptions& options, const DomainList& domains) {
  if (!std::getenv("XDG_RUNTIME_DIR")) {
    // Mesa and some Vulkan layers want one; without it they print warnings.
    const std::string dir = "/tmp/fieldscope-runtime-" + std::to_string(::getuid());
    ::mkdir(dir.c_str(), 0700);
    ::setenv("XDG_RUNTIME_DIR", dir.c_str(), 0);
  }
  GuiApp app(options, domains);
  return app.run();
}

}  // namespace fieldscope
