#include "app/views/grid_view3d.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <glm/geometric.hpp>
#include <glm/trigonometric.hpp>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "app/gui/export_job.h"
#include "model/io/atomic_file.h"
#include "model/io/png_file.h"
#include "render/context.h"
#include "render/gpu_buffer.h"
#include "render/grid_raymarcher.h"
#include "render/offscreen_image.h"

namespace fieldscope {

static_assert(sizeof(shaderio::RaymarchUniforms) == 56 * sizeof(float));

namespace {
// MemAvailable of /proc/meminfo in bytes (0: unknown).
size_t availableHostMemory() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  size_t kb = 0;
  std::string unit;
  while (in >> key >> kb >> unit)
    if (key == "MemAvailable:") return kb * 1024;
  return 0;
}

std::string megabytes(size_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.0f MB", double(bytes) / 1048576.0);
  return buf;
}

bool sameCamera(const OrbitCameraState& a, const OrbitCameraState& b) {
  return a.azimuthDeg == b.azimuthDeg && a.elevationDeg == b.elevationDeg && a.distance == b.distance &&
         a.target == b.target && a.fovYDeg == b.fovYDeg;
}

void transferBarrier(VkCommandBuffer cmd) {
  VkMemoryBarrier b{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
  b.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
  b.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
  vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &b, 0, nullptr, 0,
                       nullptr);
}
}  // namespace

// A PNG export in flight: bands of rows marched by their own ray-marcher (its own uniforms and
// descriptor sets: the viewport's march in the same command buffer uses the view's), into a
// host-visible buffer per frame slot, copied out once that slot's frame has finished.
struct GridView3D::ExportRun {
  std::shared_ptr<ExportProgress> progress;
  std::string path, sidecar;
  int width = 0, height = 0, bandRows = 1;
  GridTargetPtr grid;  // held: never rewritten while exporting
  CameraFrame camera{};
  RaymarchSettings settings;
  std::unique_ptr<GridRaymarcher> marcher;
  std::array<std::unique_ptr<GpuBuffer>, kFramesInFlight> bands;
  std::array<int, kFramesInFlight> bandRow{}, bandCount{};
  int nextRow = 0;
  Rgba8Image image;
  std::thread writer;
  bool writing = false;
  bool cancelled = false;

  void finish(bool ok, std::string message) {
    std::lock_guard<std::mutex> lock(progress->mutex);
    progress->ok = ok;
    progress->message = std::move(message);
    progress->finished = true;
  }
  bool bandsInFlight() const {
    for (int r : bandRow)
      if (r >= 0) return true;
    return false;
  }
  ~ExportRun() {
    if (writer.joinable()) writer.join();
  }
};

const std::vector<int>& GridView3D::offeredResolutions() {
  static const std::vector<int> sizes{64, 96, 128, 160, 192, 256, 320, 384, 448, 512};
  return sizes;
}

GridView3D::GridView3D(const ViewServices& services, GridView3DOptions options)
    : ctx_(services.ctx),
      options_(std::move(options)),
      backend_(services.ctx.cudaDevice() >= 0 ? SharedBackend::Cuda : SharedBackend::Host),
      marcher_(std::make_unique<GridRaymarcher>(services.ctx, options_.format)) {
  if (options_.renderModes.empty())
    options_.renderModes = options_.format == GridFormat::DensityColour
                               ? std::vector<std::string>{"colour", "depth", "opacity"}
                               : std::vector<std::string>{"shaded", "normals", "depth"};
  if (!(options_.halfExtent > 0) || !std::isfinite(options_.halfExtent)) options_.halfExtent = 0.55f;
  OrbitCameraState home = options_.home;
  if (!(home.distance > 0)) {
    // The box's inscribed sphere fills the height with a margin.
    const float halfFov = glm::radians(std::clamp(home.fovYDeg, OrbitCamera::kMinFovDeg, OrbitCamera::kMaxFovDeg)) * 0.5f;
    home.distance = 1.1f * options_.halfExtent / std::sin(halfFov);
  }
  camera_ = OrbitCamera(home);
  iso_ = options_.iso.clamp(options_.iso.initial);
  dynamic_.setSettings(options_.dynamicResolution);
  // One storage-buffer binding holds the grid: the device's range bounds n.
  VkPhysicalDeviceProperties props{};
  vkGetPhysicalDeviceProperties(ctx_.physical(), &props);
  const double range = double(props.limits.maxStorageBufferRange);
  const double voxelBytes = double(gridBytes(1, options_.format));
  maxGridN_ = std::clamp(int(std::floor(std::cbrt(range / voxelBytes) + 1e-6)), kMinGridN, kMaxGridN);
  if (gridBytes(maxGridN_, options_.format) > props.limits.maxStorageBufferRange) --maxGridN_;
  maxGridWhy_ = "this Vulkan device (" + ctx_.deviceName() + ") binds at most " +
                megabytes(props.limits.maxStorageBufferRange) + " in one storage buffer";
  resolution_ = std::clamp(options_.resolution, offeredResolutions().front(), std::max(64, maxGridN_));
  look_.renderMode = 0;
  for (auto& r : slotImage_) r.reset();
}

GridView3D::~GridView3D() {
  vkDeviceWaitIdle(ctx_.device());  // frames in flight read the grids and images
  export_.reset();                  // joins a PNG writer
}

// ---------------------------------------------------------------- grids

bool GridView3D::reusable(const GridTargetPtr& t) const {
  // Held only by the pool (no writer, no export), not on screen, not about to be, and no frame
  // in flight reads it.
  return t != front_ && t != pending_ && t.use_count() == 1 && t->lastReadFrame_ <= completed_;
}

GridTargetPtr GridView3D::beginGrid(int n, float halfExtent) {
  if (halfExtent <= 0 || !std::isfinite(halfExtent)) halfExtent = options_.halfExtent;
  if (n < kMinGridN || n > kMaxGridN)
    throw std::runtime_error("grid resolution " + std::to_string(n) + " is outside " + std::to_string(kMinGridN) +
                             ".." + std::to_string(kMaxGridN));
  if (n > maxGridN_)
    throw std::runtime_error("a " + std::to_string(n) + "^3 grid is " + megabytes(gridBytes(n, options_.format)) +
                             "; " + maxGridWhy_ + ": " + std::to_string(maxGridN_) + "^3 at most");
  GridTargetPtr chosen;
  for (const GridTargetPtr& t : pool_)
    if (t->n_ == n && reusable(t)) {
      chosen = t;
      break;
    }
  if (!chosen) {
    // Free what is idle first (buffers of other sizes nobody reads).
    pool_.erase(std::remove_if(pool_.begin(), pool_.end(), [&](const GridTargetPtr& t) { return reusable(t); }),
                pool_.end());
    const size_t bytes = gridBytes(n, options_.format);
    const int channels = gridChannels(options_.format);
    if (backend_ == SharedBackend::Host) {
      const size_t avail = availableHostMemory();
      if (avail > 0 && bytes > avail / 10 * 8)
        throw std::runtime_error("a " + std::to_string(n) + "^3 grid needs " + megabytes(bytes) + " and only " +
                                 megabytes(avail) + " of memory are available");
    }
    auto t = std::make_shared<GridTarget>();
    try {
      std::vector<int64_t> shape{n, n, n};
      if (channels > 1) shape.push_back(channels);  // (sigma, r, g, b) channels last
      t->tensor_ = SharedTensor::create(ctx_.ref(), shape, SharedScalar::Float32, backend_);
    } catch (const std::exception& e) {
      throw std::runtime_error("could not allocate a " + std::to_string(n) + "^3 grid (" + megabytes(bytes) +
                               "): " + e.what());
    }
    t->n_ = n;
    t->channels_ = channels;
    pool_.push_back(t);
    chosen = t;
  }
  chosen->halfExtent_ = halfExtent;
  chosen->id_ = ++nextId_;
  chosen->lastReadFrame_ = 0;
  return chosen;
}

bool GridView3D::publishGrid(const GridTargetPtr& grid) {
  if (!grid || std::find(pool_.begin(), pool_.end(), grid) == pool_.end())
    throw std::invalid_argument("publishGrid: not a grid of this view");
  if (grid->id_ <= newestPublished_) return false;  // a newer bake is already shown or coming
  newestPublished_ = grid->id_;
  pending_ = grid;
  return true;
}

int GridView3D::gridN() const { return front_ ? front_->n_ : 0; }

bool GridView3D::bakeOutstanding() const {
  for (const GridTargetPtr& t : pool_) {
    if (t == front_ || t == pending_ || (export_ && t == export_->grid)) continue;
    if (t.use_count() > 1) return true;
  }
  return false;
}

void GridView3D::swapInPending() {
  if (!pending_) return;
  front_ = std::move(pending_);
  pending_.reset();
  marcher_->setGrid(front_->shared(), front_->halfExtent_);
  ++published_;
  restDrawn_ = false;
}

void GridView3D::trimPool() {
  // Keep one idle buffer (the next bake's) besides the front grid; free the rest once idle.
  int idle = 0;
  for (auto it = pool_.begin(); it != pool_.end();) {
    if (reusable(*it) && ++idle > 1)
      it = pool_.erase(it);
    else
      ++it;
  }
}

// ---------------------------------------------------------------- frame

void GridView3D::input(const ViewportInput& in) {
  const OrbitCameraState before = camera_.state();
  const float h = float(std::max(in.height, 1));
  if (in.dragX != 0 || in.dragY != 0) camera_.drag(float(in.dragX), float(in.dragY), h);
  if (in.panDragX != 0 || in.panDragY != 0) camera_.pan(float(in.panDragX), float(in.panDragY), h);
  if (in.wheel != 0 && in.hovered) camera_.zoom(float(in.wheel));
  if (in.zoomInKey) camera_.key(OrbitKey::ZoomIn);
  if (in.zoomOutKey) camera_.key(OrbitKey::ZoomOut);
  if (in.panKeyX > 0) camera_.key(OrbitKey::RotateRight);
  if (in.panKeyX < 0) camera_.key(OrbitKey::RotateLeft);
  if (in.panKeyY < 0) camera_.key(OrbitKey::RotateUp);
  if (in.panKeyY > 0) camera_.key(OrbitKey::RotateDown);
  // Scripted input (benchmarks, tests) is a drag and a wheel, like a user's.
  if (in.scriptedPanX != 0 || in.scriptedPanY != 0) camera_.drag(float(in.scriptedPanX), float(in.scriptedPanY), h);
  if (in.scriptedZoom != 1.0 && in.scriptedZoom > 0 && std::isfinite(in.scriptedZoom))
    camera_.zoom(float(std::log(in.scriptedZoom) / -std::log(double(OrbitCamera::kZoomPerNotch))));
  if (in.resetKey) camera_.reset();
  if (in.doubleClicked || in.frameKey) frameObject();
  if (!sameCamera(before, camera_.state())) {
    now_ = std::max(now_, in.now);
    touch();
  }
}

void GridView3D::update(int width, int height, double now) {
  width = std::max(width, 1);
  height = std::max(height, 1);
  if (marchedMoving_ && lastUpdate_ >= 0) {
    const double ms = (now - lastUpdate_) * 1000.0;
    dynamic_.addMovingFrame(ms);
    movingMs_ = movingMs_ < 0 ? ms : 0.8 * movingMs_ + 0.2 * ms;
  }
  marchedMoving_ = false;
  lastUpdate_ = now;
  now_ = now;
  if (width != width_ || height != height_) {
    width_ = width;
    height_ = height;
    touch();  // a resize is a motion: reduced frames until it rests
  }
}

RaymarchSettings GridView3D::settings() const {
  RaymarchSettings s = look_;
  s.isoLevel = shaderIso();
  s.clipPlane = clip_.plane();
  // A domain's own modes draw as the first (shaded; colour for a density + colour grid).
  static_assert(RAYMARCH_MODE_SHADED == 0 && VOLUME_MODE_COLOUR == 0);
  s.renderMode = mode_ < 3 ? mode_ : 0;
  return s;
}

void GridView3D::record(const FrameContext& f) {
  shownOwn_ = false;
  completed_ = std::max(completed_, f.completedFrame);
  swapInPending();
  trimPool();
  recordExport(f);
  OffscreenImage& target = *f.target;
  const int W = int(target.width()), H = int(target.height());
  if (!front_) {
    // Nothing baked yet: the background.
    target.transition(f.cmd, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
    VkClearColorValue c{};
    for (int i = 0; i < 4; ++i) c.float32[i] = look_.background[i];
    const VkImageSubresourceRange range{VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
    vkCmdClearColorImage(f.cmd, target.image(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &c, 1, &range);
    shownW_ = shownH_ = 0;
    return;
  }
  front_->lastReadFrame_ = f.frame;
  const bool movingNow = moving();
  int w = W, h = H;
  if (movingNow) std::tie(w, h) = dynamic_.movingSize(W, H);
  const RaymarchSettings s = settings();
  const CameraFrame cam = camera_.frame();
  const float aspect = float(W) / float(H);
  const shaderio::RaymarchUniforms u = raymarchUniformsForRows(cam, s, marcher_->geometry(), w, h, 0, h, aspect);
  const bool same = haveMarch_ && lastGridId_ == front_->id_ && marchImage_ && int(marchImage_->width()) == w &&
                    int(marchImage_->height()) == h && std::memcmp(&u, lastUniforms_.data(), sizeof(u)) == 0;
  if (!same) {
    if (!marchImage_ || int(marchImage_->width()) != w || int(marchImage_->height()) != h)
      marchImage_ = std::make_shared<OffscreenImage>(ctx_, uint32_t(w), uint32_t(h));  // the old one lives with its frames
    marcher_->record(f.cmd, *marchImage_, w, h, aspect, cam, s, f.slot);
    stillCopied_ = 0;  // the march covers the exact rows copied before
    std::memcpy(lastUniforms_.data(), &u, sizeof(u));
    lastGridId_ = front_->id_;
    haveMarch_ = true;
    ++marches_;
    if (movingNow) {
      marchedMoving_ = true;
      movingW_ = w;
      movingH_ = h;
    }
  }
  slotImage_[f.slot] = marchImage_;  // this slot's previous frame has finished with its image
  shownW_ = w;
  shownH_ = h;
  if (!movingNow && w == W && h == H) restDrawn_ = true;
  slotStill_[f.slot].reset();
  if (still_ && !movingNow && w == W && h == H) recordStillRows(f, W, H);
  if (f.mayShowOwnImage) {
    shownOwn_ = true;  // the app stretches the march straight onto the screen: no pass into the target
    return;
  }
  // To the viewport: 1:1, or stretched (bilinear) from the reduced picture.
  marchImage_->transition(f.cmd, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
  target.transition(f.cmd, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
  if (w == W && h == H) {
    VkImageCopy c{};
    c.srcSubresource = c.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    c.extent = {uint32_t(W), uint32_t(H), 1};
    vkCmdCopyImage(f.cmd, marchImage_->image(), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, target.image(),
                   VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &c);
  } else {
    VkImageBlit b{};
    b.srcSubresource = b.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    b.srcOffsets[1] = {w, h, 1};
    b.dstOffsets[1] = {W, H, 1};
    vkCmdBlitImage(f.cmd, marchImage_->image(), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, target.image(),
                   VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &b, VK_FILTER_LINEAR);
  }
  transferBarrier(f.cmd);
}

// The still's rows finished since the last frame, copied over the resting march (which is kept
// while nothing changes, so the picture turns exact band by band).
void GridView3D::recordStillRows(const FrameContext& f, int W, int H) {
  if (still_->width() != W || still_->height() != H || still_->failed()) return;
  const int rows = still_->rowsDone();
  if (rows <= stillCopied_) return;
  if (marchImage_->layout() == VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL)
    imageBarrier(f.cmd, marchImage_->image(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
  else
    marchImage_->transition(f.cmd, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
  VkBufferImageCopy c{};
  c.bufferOffset = VkDeviceSize(stillCopied_) * W * 4;
  c.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
  c.imageOffset = {0, stillCopied_, 0};
  c.imageExtent = {uint32_t(W), uint32_t(rows - stillCopied_), 1};
  vkCmdCopyBufferToImage(f.cmd, still_->buffer().buffer(), marchImage_->image(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &c);
  stillCopied_ = rows;
  if (rows == H) ++stillsShown_;
  slotStill_[f.slot] = still_;  // the buffer lives until this frame is done with it
}

StillFramePtr GridView3D::takeStillRequest() {
  if (!exactStillEnabled() || still_ || !front_ || !restDrawn_ || moving() || export_ || clip_.enabled) return nullptr;
  if (pending_ || bakeOutstanding() || now_ - lastChange_ < kStillDelaySeconds) return nullptr;
  try {
    still_ = std::make_shared<StillFrame>(ctx_, width_, height_, camera_.frame(), mode_,
                                          std::array<float, 3>{look_.background[0], look_.background[1], look_.background[2]});
  } catch (const std::exception& e) {
    error_ = std::string("the exact still frame is off: ") + e.what();
    exactStill_ = false;
    return nullptr;
  }
  stillCopied_ = 0;
  return still_;
}

void GridView3D::dropStill() {
  if (still_) still_->cancel();
  still_.reset();
  stillCopied_ = 0;
}

void GridView3D::setExactStill(bool on) {
  if (on == exactStill_) return;
  exactStill_ = on;
  // Off: back to the march of the grid (a full march of this state, without the exact rows).
  if (!on) {
    dropStill();
    haveMarch_ = false;
  }
}

std::string GridView3D::stillStatus() const {
  if (!still_ || still_->cancelled()) return {};
  if (still_->failed()) return "exact frame failed";
  if (stillShown()) {
    char b[64];
    std::snprintf(b, sizeof b, "exact frame (%.0f s)", still_->secondsSinceStart());
    return b;
  }
  const double eta = still_->etaSeconds();
  char b[96];
  const double pct = 100.0 * still_->rowsDone() / std::max(1, still_->height());
  if (eta < 0)
    std::snprintf(b, sizeof b, "exact frame %.0f%%", pct);
  else
    std::snprintf(b, sizeof b, "exact frame %.0f%%, ETA %d:%02d", pct, int(eta) / 60, int(eta) % 60);
  return b;
}

ShownImage GridView3D::shownImage() const {
  if (!shownOwn_ || !marchImage_) return {};
  return {marchImage_.get(), shownW_, shownH_};
}

std::vector<VulkanWait> GridView3D::waits() const {
  std::vector<VulkanWait> w;
  if (front_) w.push_back(front_->shared().vulkanWait());
  if (pending_) w.push_back(pending_->shared().vulkanWait());
  if (export_ && export_->grid) w.push_back(export_->grid->shared().vulkanWait());
  return w;
}

bool GridView3D::animating() const {
  // An exact still frame being rendered is not animation: the app draws ~10 frames a second
  // while progress() is not converged, which shows its rows soon enough and leaves the CPU to it.
  return moving() || export_ != nullptr || (hasGrid() && !restDrawn_) || (still_ && still_->complete() && stillCopied_ < still_->height());
}

ViewProgress GridView3D::progress() const {
  ViewProgress p;
  const bool waiting = pending_ != nullptr || bakeOutstanding();
  p.detailComplete = front_ && restDrawn_;
  p.converged = !waiting && (!front_ || restDrawn_);
  // With an exact still frame the picture is final once its last row shows (or it failed).
  if (exactStillEnabled() && front_ && !clip_.enabled && !(still_ && (stillShown() || still_->failed()))) p.converged = false;
  p.decodedUnits = published_;
  return p;
}

std::string GridView3D::status() const {
  const OrbitCameraState& c = camera_.state();
  char buf[200];
  std::snprintf(buf, sizeof(buf), "az %.0f  el %.0f  dist %.2f", c.azimuthDeg, c.elevationDeg, c.distance);
  std::string line = buf;
  if (front_ && options_.format == GridFormat::DensityColour) {
    std::snprintf(buf, sizeof(buf), "  |  grid %d^3 density + colour", front_->n_);
    line += buf;
  } else if (front_) {
    std::snprintf(buf, sizeof(buf), "  |  grid %d^3  |  %s %.3g", front_->n_,
                  options_.iso.kind == IsoScale::Kind::Logit ? "iso p" : "iso", iso_);
    line += buf;
  } else {
    line += "  |  no grid yet";
  }
  if (clip_.enabled) line += "  |  clipped";
  // First: the status bar cuts a long line at the window's edge.
  if (const std::string st = stillStatus(); !st.empty()) line = st + "  |  " + line;
  if (front_ && shownW_ > 0 && (shownW_ != width_ || shownH_ != height_)) {
    std::snprintf(buf, sizeof(buf), "  |  moving: %dx%d", shownW_, shownH_);
    line += buf;
  }
  return line;
}

std::string GridView3D::memoryLine() const {
  size_t bytes = 0;
  for (const GridTargetPtr& t : pool_) bytes += gridBytes(t->n_, options_.format);
  char buf[160];
  std::snprintf(buf, sizeof(buf), "grids: %zu buffer%s, %.1f MB (on screen: %d^3)", pool_.size(),
                pool_.size() == 1 ? "" : "s", bytes / 1048576.0, gridN());
  return buf;
}

std::string GridView3D::backendName() const { return sharedBackendName(backend_); }

std::vector<std::pair<std::string, double>> GridView3D::perfNumbers() const {
  return {{"still_rows", still_ ? still_->rowsDone() : 0},
          {"still_height", still_ ? still_->height() : 0},
          {"still_shown", stillShown() ? 1 : 0},
          {"stills_shown", double(stillsShown_)},
          {"viewport_width", width_},
          {"viewport_height", height_},
          {"shown_width", shownW_},
          {"shown_height", shownH_},
          {"moving_width", movingW_},
          {"moving_height", movingH_},
          {"moving_scale", dynamic_.scale()},
          {"moving_frame_ms", movingMs_},
          {"dynamic_resolution", dynamic_.settings().enabled ? 1.0 : 0.0},
          {"target_frame_ms", dynamic_.settings().targetMs},
          {"grid_n", gridN()},
          {"half_extent", halfExtent()},
          {"grids_published", double(published_)},
          {"marches", double(marches_)},
          {"iso", iso_},
          {"shader_iso", shaderIso()}};
}

void GridView3D::drawPerf() {
  const DynamicResolutionSettings& d = dynamic_.settings();
  if (d.enabled) {
    ImGui::Text("dynamic resolution: target %.1f ms (%.0f fps)", d.targetMs, 1000.0 / d.targetMs);
    if (movingW_ > 0)
      ImGui::Text("  moving: %dx%d (scale %.2f), frame %.1f ms", movingW_, movingH_, dynamic_.scale(),
                  movingMs_);
    else
      ImGui::TextUnformatted("  moving: not yet");
  } else {
    ImGui::Text("dynamic resolution off; moving frame %.1f ms", movingMs_);
  }
  ImGui::Text("shown %dx%d of %dx%d%s, %llu marches", shownW_, shownH_, width_, height_,
              restDrawn_ ? " (resting, full resolution)" : "", (unsigned long long)marches_);
  ImGui::Text("%s", memoryLine().c_str());
}

// ---------------------------------------------------------------- camera and look

void GridView3D::setCamera(const OrbitCameraState& s) {
  OrbitCameraState c = s;
  const float r = 4.0f * halfExtent();
  for (int i = 0; i < 3; ++i) c.target[i] = std::isfinite(c.target[i]) ? std::clamp(c.target[i], -r, r) : 0.0f;
  camera_.restore(c);
  touch();
}

void GridView3D::resetCamera() {
  camera_.reset();
  touch();
}

float GridView3D::halfExtent() const { return front_ ? front_->halfExtent_ : options_.halfExtent; }

void GridView3D::frameObject() {
  const float h = halfExtent();
  glm::vec3 lo(-h), hi(h);
  if (front_ && front_->shared().backend() == SharedBackend::Host) {
    const int n = front_->n_, ch = front_->channels_;
    const float* v = static_cast<const float*>(front_->shared().torchData());
    // Occupied: above the iso-level; for a density, absorbing >= 1% over one voxel
    // (sigma >= 0.01 / voxel size: alpha = 1 - exp(-sigma dt)).
    const float iso = options_.format == GridFormat::DensityColour ? 0.01f * float(n) / (2.0f * h) : shaderIso();
    glm::ivec3 a(n), b(-1);
    for (int z = 0; z < n; ++z)
      for (int y = 0; y < n; ++y) {
        const float* row = v + (size_t(z) * n + y) * n * ch;
        for (int x = 0; x < n; ++x)
          if (row[size_t(x) * ch] > iso) {
            a = glm::min(a, glm::ivec3(x, y, z));
            b = glm::max(b, glm::ivec3(x, y, z));
          }
      }
    if (b.x >= 0) {
      const float voxel = 2.0f * h / float(n);
      lo = -glm::vec3(h) + glm::vec3(a) * voxel;
      hi = -glm::vec3(h) + glm::vec3(b + 1) * voxel;
    }
  }
  // Keep the direction; aim at the box's centre and back off until its eight corners project
  // inside 90% of the viewport (tighter than the bounding sphere for flat or long shapes).
  OrbitCameraState s = camera_.state();
  s.target = 0.5f * (lo + hi);
  const CameraFrame f = OrbitCamera(s).frame();
  const float tanY = 0.9f * f.tanHalfFovY, tanX = tanY * float(width_) / float(std::max(height_, 1));
  float distance = OrbitCamera::kMinDistance;
  for (int corner = 0; corner < 8; ++corner) {
    const glm::vec3 p((corner & 1) ? hi.x : lo.x, (corner & 2) ? hi.y : lo.y, (corner & 4) ? hi.z : lo.z);
    const glm::vec3 rel = p - s.target;
    // The corner's depth is distance + dot(rel, forward); it fits when |x| <= tanX depth, |y| <= tanY depth.
    const float along = glm::dot(rel, f.forward);
    distance = std::max({distance, std::abs(glm::dot(rel, f.right)) / tanX - along,
                         std::abs(glm::dot(rel, f.up)) / tanY - along, -along + 0.05f});
  }
  s.distance = distance;
  camera_.restore(s);
  touch();
}

void GridView3D::setIso(float shown) {
  const float v = options_.iso.clamp(shown);
  if (v == iso_) return;
  iso_ = v;
  touch();
}

void GridView3D::setClip(const ClipState& clip) {
  ClipState c = clip;
  const float r = halfExtent() * 1.7320508f;
  c.offset = std::isfinite(c.offset) ? std::clamp(c.offset, -r, r) : 0.0f;
  const float len = glm::length(c.viewNormal);
  c.viewNormal = std::isfinite(len) && len > 1e-6f ? c.viewNormal / len : glm::vec3(0, 0, 1);
  clip_ = c;
  touch();
}

void GridView3D::setRenderMode(int mode) {
  mode = std::clamp(mode, 0, int(options_.renderModes.size()) - 1);
  if (mode == mode_) return;
  mode_ = mode;
  touch();
}

void GridView3D::setDynamicResolution(const DynamicResolutionSettings& s) {
  dynamic_.setSettings(s);
  touch();
}

void GridView3D::setResolution(int n) {
  const int lo = std::min(64, maxGridN_), hi = std::max(lo, std::min(512, maxGridN_));
  n = std::clamp(n, lo, hi);
  if (n == resolution_) return;
  resolution_ = n;
  resolutionRequest_ = n;
}

// ---------------------------------------------------------------- widgets

bool GridView3D::drawIsoWidget() {
  if (options_.format == GridFormat::DensityColour) return false;  // no iso-level: emission-absorption
  const IsoScale& s = options_.iso;
  float v = iso_;
  const bool changed = ImGui::SliderFloat(s.label.c_str(), &v, s.min, s.max, "%.3f",
                                          s.logarithmic ? ImGuiSliderFlags_Logarithmic : 0);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Drawn where the grid's value exceeds %.4g%s; no re-bake.", s.toShader(iso_),
                      s.kind == IsoScale::Kind::Logit ? " (the logit of this probability)" : "");
  if (changed) setIso(v);
  return changed;
}

bool GridView3D::drawClipWidgets() {
  ClipState c = clip_;
  bool changed = ImGui::Checkbox("clip plane", &c.enabled);
  if (c.enabled) {
    static const char* kAxes[] = {"X", "Y", "Z", "view"};
    int axis = int(c.axis);
    ImGui::SetNextItemWidth(90);
    if (ImGui::Combo("normal", &axis, kAxes, 4)) {
      c.axis = ClipAxis(axis);
      if (c.axis == ClipAxis::View) c.viewNormal = -camera_.frame().forward;
      changed = true;
    }
    if (c.axis == ClipAxis::View) {
      ImGui::SameLine();
      if (ImGui::SmallButton("align to view")) {
        c.viewNormal = -camera_.frame().forward;
        changed = true;
      }
    }
    const float r = halfExtent() * 1.7320508f;
    changed |= ImGui::SliderFloat("offset", &c.offset, -r, r, "%.3f");
    ImGui::SameLine();
    changed |= ImGui::Checkbox("flip", &c.flip);
  }
  if (changed) setClip(c);
  return changed;
}

bool GridView3D::drawResolutionWidget() {
  bool changed = false;
  char label[32];
  std::snprintf(label, sizeof(label), "%d^3", resolution_);
  ImGui::SetNextItemWidth(110);
  if (ImGui::BeginCombo("grid", label)) {
    for (int n : offeredResolutions()) {
      std::snprintf(label, sizeof(label), "%d^3  (%.0f MB)", n, gridBytes(n, options_.format) / 1048576.0);
      const bool allowed = n <= maxGridN_;
      if (!allowed) ImGui::BeginDisabled();
      if (ImGui::Selectable(label, n == resolution_) && n != resolution_) {
        setResolution(n);
        changed = true;
      }
      if (!allowed) ImGui::EndDisabled();
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered() && maxGridN_ < 512) ImGui::SetTooltip("%s: %d^3 at most", maxGridWhy_.c_str(), maxGridN_);
  return changed;
}

bool GridView3D::drawRenderModeWidget() {
  if (options_.renderModes.size() < 2) return false;
  std::vector<const char*> names;
  for (const auto& m : options_.renderModes) names.push_back(m.c_str());
  int mode = mode_;
  ImGui::SetNextItemWidth(110);
  if (!ImGui::Combo("render", &mode, names.data(), int(names.size()))) return false;
  setRenderMode(mode);
  return true;
}

bool GridView3D::drawRenderSettingsWidgets() {
  DynamicResolutionSettings d = dynamic_.settings();
  bool changed = ImGui::Checkbox("dynamic resolution", &d.enabled);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("While the camera moves, march fewer pixels to hold the target frame rate;\n"
                      "one full-resolution frame once it rests.");
  if (d.enabled) {
    float fps = float(1000.0 / d.targetMs);
    ImGui::SetNextItemWidth(120);
    if (ImGui::SliderFloat("target fps", &fps, 10.0f, 120.0f, "%.0f")) {
      d.targetMs = 1000.0 / std::clamp(double(fps), DynamicResolutionSettings::kMinTargetFps,
                                        DynamicResolutionSettings::kMaxTargetFps);
      changed = true;
    }
  }
  if (changed) setDynamicResolution(d);
  if (options_.exactStill) {
    bool on = exactStill_;
    if (ImGui::Checkbox("exact still frame", &on)) {
      setExactStill(on);
      changed = true;
    }
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("When the camera rests, render the field itself (not the baked grid) row by row\n"
                        "over the picture; any change stops it. Slow on a CPU: the status bar shows the ETA.");
  }
  return changed;
}

void GridView3D::drawControls() {
  ImGui::PushItemWidth(170);
  drawIsoWidget();
  drawClipWidgets();
  drawResolutionWidget();
  ImGui::SameLine();
  drawRenderModeWidget();
  drawRenderSettingsWidgets();
  ImGui::PopItemWidth();
  if (ImGui::Button("frame (F)")) frameObject();
  ImGui::SameLine();
  if (ImGui::Button("reset camera (0)")) resetCamera();
  ImGui::TextDisabled("drag: orbit   right/middle/shift-drag: pan\nwheel: dolly   arrows: turn");
}

// ---------------------------------------------------------------- state

View3DLimits GridView3D::limits() const {
  View3DLimits l;
  l.iso = options_.iso;
  l.targetRange = 4.0f * halfExtent();
  l.offsetRange = halfExtent() * 1.7320508f;
  l.minResolution = std::min(64, maxGridN_);
  l.maxResolution = std::max(l.minResolution, std::min(512, maxGridN_));
  l.modes = options_.renderModes;
  return l;
}

View3DState GridView3D::state() const {
  View3DState s;
  s.camera = camera_.state();
  s.iso = iso_;
  s.clip = clip_;
  s.render.dynamicResolution = dynamic_.settings().enabled;
  s.render.targetFps = float(1000.0 / dynamic_.settings().targetMs);
  s.render.mode = options_.renderModes[size_t(mode_)];
  s.render.exactStill = exactStill_;
  s.resolution = resolution_;
  return s;
}

nlohmann::json GridView3D::saveState() const { return view3dStateToJson(state()); }

void GridView3D::restoreState(const nlohmann::json& j) {
  const View3DState s = view3dStateFromJson(j, state(), limits());  // throws before changing anything
  setCamera(s.camera);
  iso_ = s.iso;
  setClip(s.clip);
  DynamicResolutionSettings d = dynamic_.settings();
  d.enabled = s.render.dynamicResolution;
  d.targetMs = 1000.0 / s.render.targetFps;
  if (d.enabled != dynamic_.settings().enabled || std::abs(d.targetMs - dynamic_.settings().targetMs) > 1e-9)
    dynamic_.setSettings(d);
  const auto m = std::find(options_.renderModes.begin(), options_.renderModes.end(), s.render.mode);
  setRenderMode(int(m - options_.renderModes.begin()));
  setResolution(s.resolution);
  setExactStill(s.render.exactStill);
  touch();
}

// ---------------------------------------------------------------- export

std::shared_ptr<ExportProgress> GridView3D::exportPng(const std::string& path, int width, int height,
                                                      const std::string& sidecarJson) {
  if (width < 1 || height < 1 || width > kMaxExportSide || height > kMaxExportSide)
    throw std::runtime_error("export size " + std::to_string(width) + "x" + std::to_string(height) +
                             " is outside 1..16384 per side");
  finishExportIfDone();
  if (export_) throw std::runtime_error("an export is running; wait for it or cancel it");
  GridTargetPtr grid = pending_ ? pending_ : front_;
  if (!grid) throw std::runtime_error("nothing to export yet: the grid is still being baked");
  auto run = std::make_unique<ExportRun>();
  run->progress = std::make_shared<ExportProgress>();
  run->progress->totalRows = height;
  run->path = path;
  run->width = width;
  run->height = height;
  run->bandRows = std::clamp(262144 / width, 1, height);  // ~60 ms of lavapipe per frame
  run->grid = grid;
  run->camera = camera_.frame();
  run->settings = settings();
  nlohmann::json side = sidecarJson.empty() ? nlohmann::json::object() : nlohmann::json::parse(sidecarJson, nullptr, false);
  if (side.is_discarded() || !side.is_object()) side = {{"sidecar", sidecarJson}};
  side["view3d"] = saveState();
  side["grid"] = {{"n", grid->n_}, {"half_extent", grid->halfExtent_}, {"channels", grid->channels_}};
  side["size"] = {width, height};
  run->sidecar = side.dump(2) + "\n";
  run->marcher = std::make_unique<GridRaymarcher>(ctx_, options_.format);
  run->marcher->setGrid(grid->shared(), grid->halfExtent_);
  const VkDeviceSize bandBytes = VkDeviceSize(width) * run->bandRows * 4;
  for (auto& b : run->bands) b = std::make_unique<GpuBuffer>(ctx_, bandBytes, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, true);
  run->bandRow.fill(-1);
  run->bandCount.fill(0);
  run->image = Rgba8Image{width, height, std::vector<uint8_t>(size_t(width) * height * 4)};
  auto progress = run->progress;
  export_ = std::move(run);
  return progress;
}

void GridView3D::recordExport(const FrameContext& f) {
  if (!export_) return;
  ExportRun& e = *export_;
  if (e.writing) {
    finishExportIfDone();
    return;
  }
  // This slot's previous frame has finished: its band is in host memory.
  if (int row = e.bandRow[f.slot]; row >= 0) {
    const size_t rowBytes = size_t(e.width) * 4;
    std::memcpy(e.image.pixels.data() + size_t(row) * rowBytes, e.bands[f.slot]->mapped(),
                rowBytes * size_t(e.bandCount[f.slot]));
    e.progress->rowsDone += e.bandCount[f.slot];
    e.bandRow[f.slot] = -1;
  }
  if (e.progress->cancel) e.cancelled = true;
  if (!e.cancelled && e.nextRow < e.height) {
    const int rows = std::min(e.bandRows, e.height - e.nextRow);
    const shaderio::RaymarchUniforms u = raymarchUniformsForRows(e.camera, e.settings, e.marcher->geometry(), e.width,
                                                                 e.height, e.nextRow, rows);
    e.marcher->dispatch(f.cmd, u, e.bands[f.slot]->buffer(), e.bands[f.slot]->size(), f.slot,
                        VK_PIPELINE_STAGE_HOST_BIT, VK_ACCESS_HOST_READ_BIT);
    e.grid->lastReadFrame_ = std::max(e.grid->lastReadFrame_, f.frame);
    e.bandRow[f.slot] = e.nextRow;
    e.bandCount[f.slot] = rows;
    e.nextRow += rows;
  }
  if (e.bandsInFlight()) return;
  if (e.cancelled) {
    e.finish(false, "export cancelled; nothing was written");
    finishExportIfDone();
    return;
  }
  if (e.progress->rowsDone < e.height) return;
  // Every row is here: encode and write off the UI thread (a 16k PNG takes seconds).
  e.writing = true;
  e.marcher.reset();  // its last band's frame has finished (collected above)
  e.writer = std::thread([run = &e] {
    try {
      writePngWithSidecar(run->path, run->image, run->sidecar);  // both or neither
      run->finish(true, "wrote " + run->path + " (" + std::to_string(run->width) + "x" + std::to_string(run->height) +
                            ") and " + run->path + ".json");
    } catch (const std::exception& ex) {
      run->finish(false, ex.what());
    }
  });
}

void GridView3D::finishExportIfDone() {
  if (!export_ || !export_->progress->finished) return;
  if (export_->writer.joinable()) export_->writer.join();
  // The marcher's last band frames are collected; the grid goes back to the pool.
  export_.reset();
}

}  // namespace fieldscope
