#pragma once
// GridView3D: the reusable 3D view (docs/architecture.md "The 3D view's parts"), the 3D
// counterpart of Tile2DView. It shows a baked n^3 grid (occupancy logits, densities) by
// ray-marching it every frame (GridRaymarcher) from an OrbitCamera, with the iso-level, clip
// plane and render mode as uniforms (never a re-bake), dynamic resolution while the camera
// moves (DynamicResolution: a reduced picture stretched over the viewport, one full-resolution
// frame once it rests, then that frame is kept), PNG export at any size (rendered in bands
// between frames), and its state as JSON. A domain view (shape, NeRF) owns one -- usually
// through GridView3DDomainView -- bakes grids into it on its own thread and adds its panels.
// Torch-free header.
//
// The grid handoff: the *front* grid is on screen; a bake writes a *back* grid.
//   UI thread:     GridTargetPtr t = view.beginGrid(n);       // throws when n^3 cannot be had
//   worker thread: torch::Tensor out = asTensor(t->shared()); // (n, n, n) float32, [z][y][x]
//                  bakeOccupancy(decoder, fields, n, out, options);  // over [-h, h]^3, h = t->halfExtent()
//                  t->writesDone();
//   UI thread:     view.publishGrid(t);  // swapped in at the next frame boundary; never waits
// A DensityColour view (GridView3DOptions::format, NeRF) does the same with (n, n, n, 4) float32
// grids, (sigma, r, g, b) channels last, marched emission-absorption (render/volume_raymarcher.h).
// A target dropped without publishing is abandoned. beginGrid never hands out memory a frame
// in flight may still read (the old front grid is reused only once the GPU is past it), and
// a grid published after a newer one was published is dropped. GridBaker (grid_baker.h) is a
// ready-made worker thread doing all of this.
#include <array>
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/domain/domain_view.h"
#include "app/views/still_frame.h"
#include "app/views/view3d_state.h"
#include "cuda_interop/shared_tensor.h"
#include "render/dynamic_resolution.h"
#include "render/frames_in_flight.h"
#include "render/orbit_camera.h"
#include "render/raymarch_settings.h"

namespace fieldscope {

class GridRaymarcher;
class OffscreenImage;
struct ExportProgress;

// One grid of the view: n^3 float32 values at voxel centres, [z][y][x], over
// [-halfExtent, halfExtent]^3 (model/shape/occupancy_grid.h's layout), in a SharedTensor; in a
// DensityColour view n^3 x 4 float32 (sigma, r, g, b), [z][y][x][c].
class GridTarget {
 public:
  int n() const { return n_; }
  int channels() const { return channels_; }  // 1, or 4 for GridFormat::DensityColour
  float halfExtent() const { return halfExtent_; }
  // The memory: asTensor(shared()) (cuda_interop/shared_tensor_torch.h) is the torch view.
  SharedTensor& shared() { return *tensor_; }
  const SharedTensor& shared() const { return *tensor_; }
  // The writer's thread, after its last write (on CUDA: orders torch's stream before Vulkan).
  void writesDone() { tensor_->torchWritesDone(); }
  uint64_t id() const { return id_; }  // increases with every beginGrid

 private:
  friend class GridView3D;
  std::unique_ptr<SharedTensor> tensor_;
  int n_ = 0;
  int channels_ = 1;
  float halfExtent_ = 0.5f;
  uint64_t id_ = 0;
  uint64_t lastReadFrame_ = 0;  // the last frame that read it (UI thread)
};
using GridTargetPtr = std::shared_ptr<GridTarget>;

struct GridView3DOptions {
  // Scalar: iso-surfaces of an n^3 grid (shape). DensityColour: emission-absorption through an
  // n^3 x 4 (sigma, r, g, b) grid (NeRF; no iso-level: the iso widget is hidden, the clip plane
  // removes samples, F frames the voxels that absorb >= 1% over one voxel).
  GridFormat format = GridFormat::Scalar;
  IsoScale iso = IsoScale::occupancyProbability();  // how the iso slider maps to grid values
  float halfExtent = 0.55f;  // the box of beginGrid's grids (model/shape/occupancy_grid.h's)
  int resolution = 128;      // the grid resolution offered first
  // Render modes by name; the first three are the ray-marcher's: RAYMARCH_MODE_* for Scalar
  // (empty: "shaded", "normals", "depth"), VOLUME_MODE_* for DensityColour (empty: "colour",
  // "depth", "opacity"). A domain with more modes passes its list and reads renderMode(); modes
  // past the third draw as the first.
  std::vector<std::string> renderModes{};
  OrbitCameraState home{};  // the camera's home; a distance <= 0 frames the box
  // The domain renders an exact still frame when the camera rests (takeStillRequest; NeRF).
  bool exactStill = false;
  DynamicResolutionSettings dynamicResolution{};
};

class GridView3D {
 public:
  // The resolutions the widget offers (64-512); a device or memory limit greys out the larger.
  static const std::vector<int>& offeredResolutions();
  static constexpr int kMinGridN = 2, kMaxGridN = 1024;
  static constexpr double kSettleSeconds = 0.15;  // no change for this long: the camera rests
  static constexpr double kStillDelaySeconds = 0.4;  // resting this long: the exact still frame starts

  explicit GridView3D(const ViewServices& services, GridView3DOptions options = {});
  ~GridView3D();
  GridView3D(const GridView3D&) = delete;
  GridView3D& operator=(const GridView3D&) = delete;

  // --- the grid handoff (UI thread; see above) ---
  // A back grid of n^3 (x 4 for DensityColour) that no frame reads. halfExtent <= 0: the
  // options' box. Throws
  // std::runtime_error with the numbers when the grid exceeds what the device binds or the free
  // memory (e.g. 384^3 on lavapipe, whose storage buffers stop at 128 MB).
  GridTargetPtr beginGrid(int n, float halfExtent = 0.0f);
  // Shows `grid` from the next frame on. False (and dropped) when a grid begun later was
  // published already. Throws std::invalid_argument for a target of another view.
  bool publishGrid(const GridTargetPtr& grid);
  bool hasGrid() const { return front_ != nullptr || pending_ != nullptr; }
  int gridN() const;                                   // the grid on screen (0: none yet)
  uint64_t gridsPublished() const { return published_; }  // swapped onto the screen so far
  bool bakeOutstanding() const;                        // a target handed out and still held
  int maxGridN() const { return maxGridN_; }           // what beginGrid can give here
  static size_t gridBytes(int n, GridFormat format = GridFormat::Scalar) {
    return size_t(n) * n * n * size_t(gridChannels(format)) * sizeof(float);
  }
  GridFormat format() const { return options_.format; }

  // --- the exact still frame (GridView3DOptions::exactStill; still_frame.h) ---
  // UI thread, each frame: a new StillFrame of the view state once the camera has rested for
  // kStillDelaySeconds with the full-resolution march on screen and no bake, export or clip
  // plane in the way; null otherwise (and while one for this state exists). The domain renders
  // it on its thread (StillRenderer); every change of the view state cancels it.
  StillFramePtr takeStillRequest();
  void dropStill();  // the field itself changed (another seed): the still is stale
  bool exactStillEnabled() const { return options_.exactStill && exactStill_; }
  void setExactStill(bool on);
  // "exact frame 40%, ETA 1:10" / "exact frame" / "" (none, or this view has no still frame).
  std::string stillStatus() const;
  bool stillRendering() const { return still_ && !still_->complete() && !still_->failed() && !still_->cancelled(); }
  bool stillShown() const { return still_ && still_->complete() && stillCopied_ == still_->height(); }

  // --- the DomainView parts ---
  void input(const ViewportInput& in);
  void update(int width, int height, double now);
  void record(const FrameContext& frame);
  // The march itself when the frame allowed it (FrameContext::mayShowOwnImage), else empty.
  ShownImage shownImage() const;
  std::vector<VulkanWait> waits() const;
  bool animating() const;  // moving, an export running, or the resting frame not drawn yet
  ViewProgress progress() const;  // converged: the full-resolution frame of this state shows
  std::string status() const;
  std::string takeError() { return std::exchange(error_, std::string()); }
  std::string memoryLine() const;
  std::string backendName() const;
  void drawPerf();  // ImGui lines for the perf panel (the resolution dynamic resolution settles at)
  // Named numbers for benchmarks and scripted tests (moving_width, moving_frame_ms, grid_n...).
  std::vector<std::pair<std::string, double>> perfNumbers() const;

  // --- camera ---
  OrbitCamera& camera() { return camera_; }
  const OrbitCamera& camera() const { return camera_; }
  void setCamera(const OrbitCameraState& s);
  void resetCamera();
  // Aims at the occupied part of the grid (values above the iso-level; DensityColour: sigma
  // absorbing >= 1% over one voxel; the box when it cannot be read on the host) and backs off
  // until it fits the viewport. Key F / double-click.
  void frameObject();

  // --- what is drawn (no re-bake) ---
  const IsoScale& isoScale() const { return options_.iso; }
  float iso() const { return iso_; }  // in shown units (a probability for occupancy logits)
  void setIso(float shown);
  float shaderIso() const { return options_.iso.toShader(iso_); }
  const ClipState& clip() const { return clip_; }
  void setClip(const ClipState& clip);
  const std::vector<std::string>& renderModes() const { return options_.renderModes; }
  int renderMode() const { return mode_; }
  void setRenderMode(int mode);
  const DynamicResolution& dynamicResolution() const { return dynamic_; }
  void setDynamicResolution(const DynamicResolutionSettings& s);
  // Light, background, march step: changes show at once.
  RaymarchSettings& look() { touch(); return look_; }
  // The settings the next frame marches with (iso, clip and mode folded in).
  RaymarchSettings settings() const;

  // --- the grid resolution the domain bakes at ---
  int resolution() const { return resolution_; }
  void setResolution(int n);  // clamped to 64..maxGridN(); a change is a request
  // A resolution the user (or a restored state) chose since the last call: the domain re-bakes.
  std::optional<int> takeResolutionRequest() { return std::exchange(resolutionRequest_, std::nullopt); }

  // --- ImGui widgets a domain panel calls (each returns whether it changed something) ---
  bool drawIsoWidget();  // draws nothing for DensityColour
  bool drawClipWidgets();
  bool drawResolutionWidget();
  bool drawRenderModeWidget();
  bool drawRenderSettingsWidgets();  // dynamic resolution on/off, target fps, the exact still frame
  void drawControls();  // all of the above plus frame / reset camera buttons

  // --- state (camera, iso, clip, render settings, resolution) ---
  View3DState state() const;
  View3DLimits limits() const;
  nlohmann::json saveState() const;
  // Validates and clamps every value (view3d_state.h); throws naming an entry of a wrong type.
  void restoreState(const nlohmann::json& state);

  // --- export ---
  // The current view as a width x height PNG (1..16384 a side), rendered offscreen in bands
  // between frames (ExportProgress: rows, ETA, cancel -- a cancelled export writes nothing),
  // written atomically with a sidecar JSON (`sidecarJson`, or the view's state when empty).
  std::shared_ptr<ExportProgress> exportPng(const std::string& path, int width, int height,
                                            const std::string& sidecarJson = "");
  bool exporting() const { return export_ != nullptr; }
  double aspect() const { return double(height_) / std::max(1, width_); }  // height / width

 private:
  struct ExportRun;
  void touch() {
    lastChange_ = now_;
    restDrawn_ = false;
    dropStill();
  }
  void recordStillRows(const FrameContext& f, int W, int H);
  bool moving() const { return now_ - lastChange_ < kSettleSeconds; }
  bool reusable(const GridTargetPtr& t) const;
  void swapInPending();
  void trimPool();
  void recordExport(const FrameContext& f);
  void finishExportIfDone();
  float halfExtent() const;

  const VulkanContext& ctx_;
  GridView3DOptions options_;
  SharedBackend backend_;
  std::unique_ptr<GridRaymarcher> marcher_;
  OrbitCamera camera_;
  RaymarchSettings look_;
  float iso_ = 0.5f;
  ClipState clip_;
  int mode_ = 0;
  DynamicResolution dynamic_;
  int resolution_ = 128;
  std::optional<int> resolutionRequest_;
  int maxGridN_ = kMaxGridN;
  std::string maxGridWhy_;

  // Grids: every buffer of the view; front_ on screen, pending_ published for the next frame.
  std::vector<GridTargetPtr> pool_;
  GridTargetPtr front_, pending_;
  uint64_t nextId_ = 0, newestPublished_ = 0, published_ = 0;

  // The last march, kept while nothing changes (the resting frame is marched once).
  std::shared_ptr<OffscreenImage> marchImage_;
  std::array<std::shared_ptr<OffscreenImage>, kFramesInFlight> slotImage_;  // alive with its frame
  std::array<float, 56> lastUniforms_{};  // shaderio::RaymarchUniforms, compared bytewise
  uint64_t lastGridId_ = 0;
  bool haveMarch_ = false;
  int shownW_ = 0, shownH_ = 0, movingW_ = 0, movingH_ = 0;
  uint64_t marches_ = 0;

  int width_ = 1, height_ = 1;
  double now_ = 0, lastUpdate_ = -1, lastChange_ = -1e9;
  bool marchedMoving_ = false, restDrawn_ = false;
  bool shownOwn_ = false;  // the last frame is marchImage_, not the target (FrameContext::mayShowOwnImage)
  double movingMs_ = -1;  // smoothed frame time of moving marches (dynamic resolution on or off)
  uint64_t completed_ = 0;
  std::string error_;
  std::unique_ptr<ExportRun> export_;

  // The exact still frame of this resting state, and how many of its rows marchImage_ holds.
  bool exactStill_ = true;  // the user's setting (options_.exactStill: whether the domain has one)
  StillFramePtr still_;
  int stillCopied_ = 0;
  uint64_t stillsShown_ = 0;
  std::array<StillFramePtr, kFramesInFlight> slotStill_;  // alive with its frame
};

}  // namespace fieldscope
