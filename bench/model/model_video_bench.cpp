// Video model timings on the CPU (issue 13): a 50-step DDIM sample, the time to show a new
// (uncached) frame at 512^2 -- the whole frame decoded from the field at a fresh t, and one 256^2
// tile of it (what the tile view decodes first) -- and an MP4 export of 4 s at 512^2 @ 30 fps (120
// frames, each decoded at its own t, H.264) with the process's peak RSS. Uses the shipped model when
// it exists (assets/models/clips-video.fsm), else an untrained one of the preset (the work per pixel
// does not depend on the weights).
//   model_video_bench [--model M] [--preset small] [--threads N] [--out bench/results/model_video.json]
#include <sys/resource.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "bench/bench_support.h"
#include "model/io/atomic_file.h"
#include "model/train/train_support.h"
#include "model/util/blas_threads.h"
#include "model/video/video_model.h"
#include "model/video_io/mp4_writer.h"

using fieldscope::bench::loadAverage;
using fieldscope::bench::peakRssMb;
using fieldscope::bench::seconds;

int main(int argc, char** argv) {
  using namespace fieldscope;
  std::string model = std::string(FIELDSCOPE_SOURCE_DIR) + "/assets/models/clips-video.fsm";
  std::string preset = "small", out = "bench/results/model_video.json";
  int threads = int(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--model") model = v;
    else if (k == "--preset") preset = v;
    else if (k == "--threads") threads = std::stoi(v);
    else if (k == "--out") out = v;
    else {
      std::fprintf(stderr, "unknown argument %s\n", k.c_str());
      return 2;
    }
  }
  const double loadAtStart = loadAverage();
  torch::set_num_threads(threads);
  const bool trained = std::filesystem::exists(model);
  auto m = trained ? VideoModel::load(model) : VideoModel::untrained(preset);
  nlohmann::json j = {{"model", trained ? model : "untrained " + preset},
                      {"commit", fieldscope::bench::commit()},
                      {"device", "cpu"},
                      {"threads",
                       {{"torch_intra_op", at::get_num_threads()},
                        {"hardware", fieldscope::bench::hardwareThreads()},
                        {"blas", blasThreadsText()}}},
                      {"hardware", hardwareDescription()},
                      {"machine_load_average_1min", loadAtStart},
                      {"load_average_at_start", loadAtStart}};
  torch::Tensor latent;
  j["ddim_50_steps_s"] = seconds([&] { latent = m->sampleLatent(1, 50); });
  VideoFields fields;
  j["fields_s"] = seconds([&] { fields = m->makeFields(latent); });
  double t = 0.123;
  j["new_frame_512_s"] = seconds([&] { m->decodeFrame(fields, t, 512, 512); });
  j["new_tile_256_s"] = seconds([&] { m->decodeFrame(fields, t + 0.01, 256, 256, {0, 0, 0.5, 0.5}); });
  std::fprintf(stderr, "new frame 512^2: %.2f s, a 256^2 tile: %.2f s\n", j["new_frame_512_s"].get<double>(),
               j["new_tile_256_s"].get<double>());
  const auto path = std::filesystem::temp_directory_path() / "fieldscope_model_video_bench.mp4";
  Mp4Settings s;
  s.width = s.height = 512;
  s.frameRate = {30, 1};
  const int n = 120;
  std::vector<uint8_t> rgb;
  ExportReport rep;
  const double exportS = seconds([&] {
    rep = writeMp4(path, s, n, [&](int k) {
      auto u8 = (m->decodeFrame(fields, double(k) / (n - 1), 512, 512) * 255).round().to(torch::kUInt8).contiguous();
      rgb.assign(u8.data_ptr<uint8_t>(), u8.data_ptr<uint8_t>() + u8.numel());
      FrameView v;
      v.pixels = rgb.data();
      v.width = v.height = 512;
      v.layout = PixelLayout::Rgb8;
      return v;
    });
  });
  j["mp4_4s_512_30fps"] = {{"seconds", exportS},
                           {"frames", rep.framesWritten},
                           {"codec", rep.codec},
                           {"bytes", std::filesystem::file_size(path)},
                           {"peak_rss_mb", peakRssMb()}};
  std::filesystem::remove(path);
  std::fprintf(stderr, "MP4 4 s at 512^2 @ 30 fps: %.1f s (%s)\n", exportS, rep.codec.c_str());
  j["playback_with_prefetch"] = "not measured: the viewer does not prefetch ahead of the playhead yet";
  j["load_average_at_end"] = loadAverage();
  writeBytesAtomically(out, j.dump(2) + "\n");
  std::printf("%s\n", j.dump(2).c_str());
  return 0;
}
