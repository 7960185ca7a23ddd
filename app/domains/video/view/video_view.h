#pragma once
// VideoView: samples of a video model in the 2D tile view (docs/architecture.md "The video domain")
// -- the Video panel (seed, dice, next, steps, blend), the timeline under the viewport (scrubber over
// continuous t with the training frames marked, play / pause / loop, speed, frame rate), the frame
// zooming and panning like an image (each (sample, time) has its own tiles), PNG export of the frame
// on screen and MP4 export of the clip, and its session state.
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "app/domains/video/playhead.h"
#include "app/domains/video/video_source.h"
#include "app/views/tile2d_domain_view.h"

namespace fieldscope {

struct VideoPanelState {
  VideoSampleSpec edit;
  bool applyRequested = false;
};

class VideoView final : public Tile2DDomainView {
 public:
  VideoView(std::shared_ptr<LoadedVideoModel> model, const ViewServices& services);
  ~VideoView() override;

  std::string title() const override;
  void drawPanels(std::string& openFile) override;
  void update(int width, int height, double now) override;
  bool animating() const override { return tile_.animating() || playhead_.playing; }
  ViewProgress progress() const override;
  std::string status() const override;
  nlohmann::json saveState() const override;
  void restoreState(const nlohmann::json& state) override;
  std::vector<ExportKind> exports() const override;
  std::shared_ptr<ExportProgress> startExport(const ExportRequest& request) override;

  const Playhead& playhead() const { return playhead_; }

 private:
  void show(const VideoSampleSpec& spec);

  std::shared_ptr<LoadedVideoModel> model_;
  std::shared_ptr<VideoSource> source_;
  VideoPanelState panel_;
  Playhead playhead_;
  double lastNow_ = -1;
  // Recently shown samples keep their source (their tiles stay cached).
  static constexpr size_t kRecentSources = 6;
  std::deque<std::shared_ptr<VideoSource>> recent_;
};

// The panels (video_panel.cpp): the sample, and the timeline under the viewport.
void drawVideoPanel(const LoadedVideoModel& model, VideoPanelState& st);
void drawTimeline(Playhead& playhead);

}  // namespace fieldscope
