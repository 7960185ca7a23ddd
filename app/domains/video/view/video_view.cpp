#include "app/domains/video/view/video_view.h"

#include <algorithm>
#include <stdexcept>

#include "app/domains/video/cli/clip_export.h"
#include "app/domains/video/video_grid_source.h"
#include "app/gui/export_job.h"
#include "app/gui/inference_worker.h"
#include "app/gui/pyramid_view.h"
#include "model/video/video_model.h"

namespace fieldscope {

VideoView::VideoView(std::shared_ptr<LoadedVideoModel> model, const ViewServices& services)
    : Tile2DDomainView(services), model_(std::move(model)) {
  playhead_.frames = model_->model->frames();
  show(panel_.edit);
}

VideoView::~VideoView() {
  // A running MP4 export is cancelled (nothing half-written is left) and waited for.
  if (mp4Progress_) mp4Progress_->cancel = true;
  if (mp4Thread_.joinable()) mp4Thread_.join();
}

std::string VideoView::title() const {
  if (panel_.gridMode && grid_) return grid_->name();
  return source_ ? source_->name() : model_->describe();
}

void VideoView::show(const VideoSampleSpec& spec) {
  panel_.gridMode = false;
  playhead_.playTicks = Playhead::kPlayTicks;
  auto it = std::find_if(recent_.begin(), recent_.end(), [&](const auto& s) { return s->spec() == spec; });
  if (it != recent_.end()) {
    source_ = *it;
    recent_.erase(it);
  } else {
    source_ = std::make_shared<VideoSource>(model_, spec);
  }
  recent_.push_front(source_);
  while (recent_.size() > kRecentSources) {
    tile_.forgetSource(recent_.back()->uid());
    recent_.pop_back();
  }
  tile_.setSource(source_);
}

void VideoView::showGrid(uint64_t firstSeed) {
  if (!grid_ || firstSeed != gridFirstSeed_ || panel_.edit.steps != gridSteps_) {
    if (grid_) tile_.forgetSource(grid_->uid());
    grid_ = makeVideoGridSource(model_, firstSeed, panel_.edit.steps, gridLayout_);
  }
  gridFirstSeed_ = firstSeed;
  gridSteps_ = panel_.edit.steps;
  panel_.gridMode = true;
  playhead_.playTicks = Playhead::kTicksPerFrame;  // thumbnails play the training frames
  tile_.setSource(grid_);
  tile_.resetView();
}

void VideoView::input(const ViewportInput& in) {
  tile_.input(in);
  if (auto click = tile_.takeClick(); click && panel_.gridMode) {
    if (auto cell = gridLayout_.cellAt(click->first, click->second)) {
      panel_.edit.seed = gridFirstSeed_ + uint64_t(*cell);
      panel_.edit.blend = false;
      panel_.applyRequested = true;
      tile_.resetView();
    }
  }
}

void VideoView::drawPanels(std::string&) {
  drawVideoPanel(*model_, panel_);
  PlaybackBuffer buffer;
  buffer.buffering = buffering_;
  for (int64_t key : readyAhead_) buffer.aheadTimes.push_back(Playhead::keyTime(key, playhead_.frames));
  drawTimeline(playhead_, buffer);
}

void VideoView::update(int width, int height, double now) {
  if (panel_.gridRequested) {
    panel_.gridRequested = false;
    showGrid(panel_.edit.seed);
  }
  if (panel_.applyRequested) {
    panel_.applyRequested = false;
    show(panel_.edit);
  }
  const double dt = lastNow_ >= 0 ? now - lastNow_ : 0.0;
  lastNow_ = now;
  if (playhead_.playing) {
    // Playback shows decoded frames only: it waits on one that is not there yet, while the
    // worker decodes the next keys ahead of the playhead (docs/architecture.md "The video domain").
    buffering_ = playhead_.advanceWhenReady(dt, [&](int64_t key) { return tile_.timeReady(key); });
    const auto ahead = playhead_.upcomingKeys(kLookaheadKeys);
    readyAhead_.clear();
    for (int64_t key : ahead) {
      if (!tile_.timeReady(key)) break;
      readyAhead_.push_back(key);
    }
    tile_.setLookahead(ahead);
    if (playhead_.timeKey() != shownKey_) ++keysShown_;
  } else {
    buffering_ = false;
    readyAhead_.clear();
    tile_.setLookahead({});
  }
  shownKey_ = playhead_.timeKey();
  tile_.setTime(shownKey_);
  tile_.update(width, height, now);
}

std::vector<std::pair<std::string, double>> VideoView::perfNumbers() const {
  return {{"t", playhead_.t},
          {"time_key", double(playhead_.timeKey())},
          {"playing", playhead_.playing ? 1.0 : 0.0},
          {"buffering", buffering_ ? 1.0 : 0.0},
          {"ready_ahead", double(readyAhead_.size())},
          {"keys_shown", double(keysShown_)}};
}

ViewProgress VideoView::progress() const {
  ViewProgress p = tile_.progress();
  if (playhead_.playing) p.converged = false;  // a playing clip never rests
  return p;
}

std::string VideoView::status() const {
  char buf[128];
  std::snprintf(buf, sizeof buf, "t %.3f  frame %.2f of %d%s%s  |  ", playhead_.t, playhead_.frameIndex() + 1,
                playhead_.frames, playhead_.betweenFrames() ? " (between frames)" : "",
                buffering_ ? "  buffering" : "");
  return buf + Tile2DDomainView::status();
}

nlohmann::json VideoView::saveState() const {
  VideoSampleSpec s = source_ ? source_->spec() : panel_.edit;
  if (panel_.gridMode) {
    s = panel_.edit;
    s.seed = gridFirstSeed_;
    s.steps = gridSteps_;
  }
  return {{"sample", {{"seed", s.seed}, {"steps", s.steps}, {"blend", s.blend}, {"seed_b", s.seedB}, {"blend_t", s.blendT}}},
          {"grid", panel_.gridMode},
          {"timeline",
           {{"t", playhead_.t}, {"playing", playhead_.playing}, {"loop", playhead_.loop}, {"fps", playhead_.fps},
            {"speed", playhead_.speed}}},
          {"view", tile_.saveView()}};
}

void VideoView::restoreState(const nlohmann::json& state) {
  if (!state.is_object()) throw std::runtime_error("the video state is not an object");
  // Everything is read and checked before anything changes.
  VideoSampleSpec spec = panel_.edit;
  Playhead ph = playhead_;
  bool grid = panel_.gridMode;
  try {
    if (state.contains("grid")) {
      if (!state.at("grid").is_boolean()) throw std::runtime_error("video state: grid is not true/false");
      grid = state.at("grid").get<bool>();
    }
    if (state.contains("sample")) {
      const auto& s = state.at("sample");
      spec.seed = s.value("seed", spec.seed);
      spec.steps = std::clamp(s.value("steps", spec.steps), 1, 1000);
      spec.blend = s.value("blend", spec.blend);
      spec.seedB = s.value("seed_b", spec.seedB);
      spec.blendT = std::clamp(s.value("blend_t", spec.blendT), 0.f, 1.f);
    }
    if (state.contains("timeline")) {
      const auto& t = state.at("timeline");
      ph.seek(t.value("t", ph.t));
      ph.playing = t.value("playing", ph.playing);
      ph.loop = t.value("loop", ph.loop);
      ph.fps = std::clamp(t.value("fps", ph.fps), 0.5, 60.0);
      ph.speed = std::clamp(t.value("speed", ph.speed), 0.1, 8.0);
    }
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("video state: ") + e.what());
  }
  playhead_ = ph;
  panel_.edit = spec;
  if (grid) {
    showGrid(spec.seed);
  } else {
    show(spec);
  }
  if (state.contains("view")) tile_.restoreView(state.at("view"));
}

std::vector<ExportKind> VideoView::exports() const {
  return {{"png", "PNG of this frame", ".png", false, 1.0}, {"mp4", "MP4 of the clip (H.264)", ".mp4"}};
}

std::shared_ptr<ExportProgress> VideoView::startExport(const ExportRequest& r) {
  if (!source_) throw std::runtime_error("nothing to export");
  if (r.kind == "png") {
    const nlohmann::json sidecar = {{"model", model_->path.string()}, {"state", saveState()}};
    auto progress = std::make_shared<ExportProgress>();
    const std::shared_ptr<FieldSource> shown = panel_.gridMode ? grid_ : std::shared_ptr<FieldSource>(source_);
    const Region region = r.wholePicture ? Region{0, 0, 1, 1} : tile_.view().region();
    tile_.pyramid().worker().runTask(makeExportTask(videoSourceAt(shown, playhead_.timeKey()), region,
                                                    r.width, r.height, r.path, sidecar.dump(2), progress));
    return progress;
  }
  if (r.kind != "mp4") throw std::runtime_error("the video view exports png or mp4, not '" + r.kind + "'");
  if (panel_.gridMode) throw std::runtime_error("an MP4 holds one clip: click a clip in the grid to open it, then export");
  ClipExportRequest c;
  c.out = r.path;
  c.width = r.width;
  c.height = r.height > 0 ? r.height : r.width;
  c.fps = 30;
  c.seconds = playhead_.clipSeconds();  // the clip as the timeline plays it
  if (clipExportKind(c.out) != ClipExportKind::Mp4) throw std::runtime_error("'" + r.path + "' does not end in .mp4");
  if (mp4Progress_ && !mp4Progress_->finished)
    throw std::runtime_error("an MP4 export is still running: wait for it or cancel it first");
  if (mp4Thread_.joinable()) mp4Thread_.join();
  auto progress = std::make_shared<ExportProgress>();
  progress->totalRows = clipExportFrames(c.fps, c.seconds);
  // On a thread of its own, so that the tiles keep decoding on the worker meanwhile (the view
  // stays live during a long export); the frames in order, each the field at its own t.
  mp4Thread_ = startExportThread(progress, [source = source_, c, progress]() -> ExportOutcome {
    ExportControl control;
    control.cancel = &progress->cancel;
    control.progress = [&](int done, int) { progress->rowsDone = done; };
    const ExportReport rep = exportClip([&](double t, int w, int h) { return source->decodeFrame(t, w, h); }, c, control);
    if (rep.cancelled) return {false, "export cancelled; " + c.out.string() + " was not written"};
    std::string message = "wrote " + c.out.string() + " (" + std::to_string(rep.framesWritten) + " frames, " + rep.codec + ")";
    for (const auto& n : rep.notes) message += "; " + n;
    return {true, message};
  });
  mp4Progress_ = progress;
  return progress;
}

}  // namespace fieldscope
