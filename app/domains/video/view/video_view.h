#pragma once
// VideoView: samples of a video model in the 2D tile view (docs/architecture.md "The video domain")
// -- the Video panel (seed, dice, next, steps, blend), the timeline under the viewport (scrubber over
// continuous t with the training frames marked, play / pause / loop, speed, frame rate), the frame
// zooming and panning like an image (each (sample, time) has its own tiles), PNG export of the frame
// on screen and MP4 export of the clip (on a thread of its own), and its session state.
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/domains/video/playhead.h"
#include "app/domains/video/video_source.h"
#include "app/gui/grid_layout.h"
#include "app/views/tile2d_domain_view.h"

namespace fieldscope {

// What the timeline shows of playback: the clip times decoded ahead of the playhead, and
// whether playback waits for a frame.
// The timeline's height: it sits right above the status bar, across the window, and the viewport
// ends above it.
inline constexpr float kTimelineHeight = 80.f;

struct PlaybackBuffer {
  std::vector<double> aheadTimes;
  bool buffering = false;
};

struct VideoPanelState {
  VideoSampleSpec edit;
  bool applyRequested = false;
  bool gridRequested = false;  // the clip grid from the edited seed on
  bool gridMode = false;       // the clip grid is shown
};

class VideoView final : public Tile2DDomainView {
 public:
  VideoView(std::shared_ptr<LoadedVideoModel> model, const ViewServices& services);
  ~VideoView() override;

  std::string title() const override;
  void drawPanels(std::string& openFile) override;
  void input(const ViewportInput& in) override;
  void update(int width, int height, double now) override;
  bool animating() const override { return tile_.animating() || playhead_.playing; }
  std::vector<std::pair<std::string, double>> perfNumbers() const override;
  float bottomBarHeight() const override { return kTimelineHeight; }
  ViewProgress progress() const override;
  std::string status() const override;
  nlohmann::json saveState() const override;
  void restoreState(const nlohmann::json& state) override;
  std::vector<ExportKind> exports() const override;
  std::shared_ptr<ExportProgress> startExport(const ExportRequest& request) override;

  const Playhead& playhead() const { return playhead_; }

 private:
  void show(const VideoSampleSpec& spec);
  // The clip grid (video_grid_source.h): kGrid x kGrid clips from `firstSeed`, every thumbnail
  // playing with the timeline (on the training frames); a click opens that clip.
  void showGrid(uint64_t firstSeed);
  static constexpr int kGrid = 3;
  GridLayout gridLayout_{kGrid, kGrid, 0.03};
  uint64_t gridFirstSeed_ = 0;
  int gridSteps_ = 0;
  std::shared_ptr<FieldSource> grid_;
  // The MP4 export runs on its own thread (the worker keeps decoding tiles meanwhile).
  std::thread mp4Thread_;
  std::shared_ptr<ExportProgress> mp4Progress_;

  std::shared_ptr<LoadedVideoModel> model_;
  std::shared_ptr<VideoSource> source_;
  VideoPanelState panel_;
  Playhead playhead_;
  double lastNow_ = -1;
  // Playback: keys decoded ahead of the playhead; waiting on a frame not decoded yet.
  static constexpr int kLookaheadKeys = 24;
  bool buffering_ = false;
  std::vector<int64_t> readyAhead_;  // upcoming keys already decoded, in a row
  uint64_t keysShown_ = 0;  // key changes while playing (playback frame rate)
  int64_t shownKey_ = -1;
  // Recently shown samples keep their source (their tiles stay cached).
  static constexpr size_t kRecentSources = 6;
  std::deque<std::shared_ptr<VideoSource>> recent_;
};

// The panels (video_panel.cpp): the sample, and the timeline under the viewport.
void drawVideoPanel(const LoadedVideoModel& model, VideoPanelState& st);
void drawTimeline(Playhead& playhead, const PlaybackBuffer& buffer);

}  // namespace fieldscope
