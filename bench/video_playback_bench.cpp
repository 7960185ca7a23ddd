// The video viewer at 512^2 on this machine (bench/results/video_viewer.json, issue 13): the
// shipped clip model's VideoView headless (update + record + submit + wait per frame, as the app
// draws it) in a 512x512 viewport --
//   * scrubbing: the time from seeking to a new (uncached) fractional t until every visible tile
//     of that time is decoded, and until the exact view has landed;
//   * playback with prefetch: keys shown per second while playing (cold: the first loop, the
//     worker decoding ahead of the playhead; warm: the next loop, from the tile cache), the share
//     of frames spent buffering, and the app frame time meanwhile;
//   * MP4 export of 4 s at 512^2 and 30 fps (exportClip, the code `fieldscope sample` and the
//     viewer's export run).
//   video_playback_bench OUT.json --model M [--loops N] [--slots S] [--skip-mp4]
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "app/domains/video/cli/clip_export.h"
#include "app/domains/video/view/video_view.h"
#include "bench/bench_support.h"
#include "bench/headless_frame.h"
#include "model/io/atomic_file.h"
#include "model/util/compute_options.h"
#include "model/video/video_model.h"
#include "render/context.h"
#include "render/offscreen_image.h"

namespace {
using namespace fieldscope;
using Clock = std::chrono::steady_clock;
using bench::loadAverage;
using bench::peakRssMb;
constexpr int kSize = 512;

double number(const VideoView& v, const char* name) {
  for (const auto& [k, x] : v.perfNumbers())
    if (k == name) return x;
  return -1;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(q * double(v.size() - 1) + 0.5))];
}

struct Driver {
  VulkanContext& ctx;
  VideoView& view;
  OffscreenImage target;
  uint64_t number = 0;
  Clock::time_point t0 = Clock::now();
  Driver(VulkanContext& c, VideoView& v) : ctx(c), view(v), target(c, kSize, kSize) {}
  double seconds() const { return std::chrono::duration<double>(Clock::now() - t0).count(); }
  double frame() {
    const auto start = Clock::now();
    view.update(kSize, kSize, seconds() + 100.0);
    bench::submitHeadlessFrame(ctx, view, target, ++number, /*still=*/true);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    // The app draws at the display's rate; a frame that took less waits for the next vsync.
    if (ms < 16.7) std::this_thread::sleep_for(std::chrono::microseconds(int((16.7 - ms) * 1000)));
    return ms;
  }
  // A state change, then one frame: the view takes it on at its next update.
  void state(const nlohmann::json& patch) {
    nlohmann::json s = view.saveState();
    s.merge_patch(patch);
    view.restoreState(s);
    frame();
  }
};
}  // namespace

int main(int argc, char** argv) {
  std::string out, model;
  int loops = 2, slots = 480;
  bool mp4 = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--model") model = next();
    else if (a == "--loops") loops = std::stoi(next());
    else if (a == "--slots") slots = std::stoi(next());
    else if (a == "--skip-mp4") mp4 = false;
    else out = a;
  }
  if (model.empty()) {
    std::fprintf(stderr, "usage: video_playback_bench OUT.json --model M [--loops N] [--slots S] [--skip-mp4]\n");
    return 2;
  }
  const double loadAtStart = loadAverage();
  ContextOptions co;
  co.quiet = true;
  VulkanContext ctx(co);
  ComputeOptions compute;
  ViewServices services{ctx, compute};
  services.tileCacheSlots = slots;
  auto loaded = loadVideoModel(model, compute);
  VideoView view(loaded, services);
  Driver d(ctx, view);

  // Sampling and the first exact view.
  d.state({{"sample", {{"seed", 3}, {"steps", 50}}}, {"timeline", {{"t", 0.0}, {"playing", false}}}});
  const double s0 = d.seconds();
  while (!view.progress().converged && d.seconds() - s0 < 600) d.frame();
  const double firstView = d.seconds() - s0;
  std::fprintf(stderr, "sampled and shown t=0 in %.1f s\n", firstView);

  // Scrubbing to times nothing has decoded yet.
  nlohmann::json scrubs = nlohmann::json::array();
  std::vector<double> tilesS, exactS;
  for (double t : {0.113, 0.291, 0.537, 0.771, 0.904}) {
    d.state({{"timeline", {{"t", t}, {"playing", false}}}});
    const double a = d.seconds();
    double tiles = -1;
    while (!view.progress().converged && d.seconds() - a < 120) {
      d.frame();
      if (tiles < 0 && view.progress().detailComplete) tiles = d.seconds() - a;
    }
    const double exact = d.seconds() - a;
    tilesS.push_back(tiles);
    exactS.push_back(exact);
    scrubs.push_back({{"t", t}, {"tiles_complete_s", tiles}, {"exact_view_s", exact}});
    std::fprintf(stderr, "scrub to t=%.3f: tiles %.2f s, exact view %.2f s\n", t, tiles, exact);
  }

  // Playback with prefetch, loop on, 8 training frames a second (the default).
  d.state({{"timeline", {{"t", 0.0}, {"playing", true}, {"loop", true}, {"fps", 8.0}, {"speed", 1.0}}}});
  nlohmann::json loopRuns = nlohmann::json::array();
  for (int loop = 0; loop < loops; ++loop) {
    const double a = d.seconds();
    const double k0 = number(view, "keys_shown");
    int frames = 0, buffering = 0;
    std::vector<double> ms;
    double lastT = number(view, "t");
    bool wrapped = false;
    while (!wrapped && d.seconds() - a < 900) {
      ms.push_back(d.frame());
      ++frames;
      buffering += number(view, "buffering") > 0 ? 1 : 0;
      const double t = number(view, "t");
      wrapped = t < lastT - 0.5;
      lastT = t;
    }
    const double secs = d.seconds() - a;
    const double keys = number(view, "keys_shown") - k0;
    loopRuns.push_back({{"loop", loop + 1},
                        {"seconds", secs},
                        {"keys_shown", keys},
                        {"keys_per_second", keys / secs},
                        {"nominal_keys_per_second", 8.0 * 16 / Playhead::kPlayTicks},
                        {"frames_buffering_share", double(buffering) / std::max(1, frames)},
                        {"app_frame_ms_p50", percentile(ms, 0.5)},
                        {"app_frame_ms_p95", percentile(ms, 0.95)}});
    std::fprintf(stderr, "loop %d: %.0f keys in %.1f s = %.2f keys/s, buffering %.0f%% of frames, frame p50 %.1f ms\n",
                 loop + 1, keys, secs, keys / secs, 100.0 * buffering / std::max(1, frames), percentile(ms, 0.5));
  }
  d.state({{"timeline", {{"playing", false}}}});

  nlohmann::json mp4Run;
  if (mp4) {
    auto source = std::make_shared<VideoSource>(loaded, VideoSampleSpec{3, 50});
    ClipExportRequest c;
    c.out = std::filesystem::temp_directory_path() / "fieldscope_video_bench.mp4";
    c.width = c.height = kSize;
    c.fps = 30;
    c.seconds = 4;
    const double a = d.seconds();
    source->decodeFrame(0, 8, 8);  // sampling, outside the export's time
    const double sampled = d.seconds() - a;
    const double b = d.seconds();
    const ExportReport rep = exportClip([&](double t, int w, int h) { return source->decodeFrame(t, w, h); }, c);
    const double secs = d.seconds() - b;
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(c.out, ec);
    std::filesystem::remove(c.out, ec);
    mp4Run = {{"what", "4 s at 512x512, 30 fps: 120 frames, each the field decoded at its own t, H.264 yuv420p"},
              {"sampling_s", sampled},
              {"export_s", secs},
              {"frames", rep.framesWritten},
              {"codec", rep.codec},
              {"seconds_per_frame", secs / std::max(1, rep.framesWritten)},
              {"bytes", ec ? -1.0 : double(bytes)}};
    std::fprintf(stderr, "MP4 4 s at 512^2 @ 30 fps: %.1f s (%d frames, %s)\n", secs, rep.framesWritten, rep.codec.c_str());
  }

  nlohmann::json doc = {
      {"bench", "video_playback_bench (bench/video_playback_bench.cpp)"},
      {"commit", bench::commit()},
      {"device", ctx.deviceName()},
      {"model", std::filesystem::path(model).filename().string()},
      {"torch_threads_worker", 1},
      {"threads",
       {{"torch_intra_op_main_thread", at::get_num_threads()},
        {"hardware", bench::hardwareThreads()},
        {"FIELDSCOPE_THREADS", std::getenv("FIELDSCOPE_THREADS") ? std::getenv("FIELDSCOPE_THREADS") : "unset"},
        {"LP_NUM_THREADS", std::getenv("LP_NUM_THREADS") ? std::getenv("LP_NUM_THREADS") : "unset"}}},
      {"viewport", "512x512"},
      {"tile_cache_slots", slots},
      {"sample", "seed 3, 50 DDIM steps"},
      {"first_view_s", firstView},
      {"scrub_new_frame",
       {{"runs", scrubs},
        {"tiles_complete_s_p50", percentile(tilesS, 0.5)},
        {"exact_view_s_p50", percentile(exactS, 0.5)}}},
      {"playback_with_prefetch", loopRuns},
      {"mp4_export", mp4Run},
      {"peak_rss_mb", peakRssMb()},
      {"machine_load_average_1min", loadAtStart},
      {"machine_load_average_1min_at_end", loadAverage()}};
  const std::string text = doc.dump(2) + "\n";
  std::fputs(text.c_str(), stdout);
  if (!out.empty()) writeBytesAtomically(out, text);
  return 0;
}
