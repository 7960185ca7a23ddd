// NeRF timings on the CPU (issue 14; docs/architecture.md "The NeRF domain"): the bake of the
// viewer's density + colour grid at 64^3, 128^3 and 192^3; the exact still frame through the MLP
// (stratified + importance samples) at 160x90 and 320x180, projected to 1280x720 by the ray
// count; a frame from the baked grid (the turntable's renderer: the shader's CPU twin with
// empty-space skipping) at 1280x720; and a turntable MP4
// at 1280x720 @ 30 fps of `--frames` frames, projected to 4 s (120 frames). Uses the shipped
// scene (assets/models/nerf-scene-0007.fsm).
//   model_nerf_bench [--model M] [--threads N] [--frames 6] [--out bench/results/model_nerf.json]
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "app/domains/nerf/cli/nerf_camera.h"
#include "app/domains/nerf/cli/nerf_picture.h"
#include "app/domains/nerf/cli/nerf_video.h"
#include "bench/bench_support.h"
#include "model/io/atomic_file.h"
#include "model/nerf/nerf_scene_io.h"
#include "model/train/train_support.h"
#include "model/util/allocator_tuning.h"
#include "model/util/blas_threads.h"

using fieldscope::bench::loadAverage;
using fieldscope::bench::peakRssMb;

namespace {
double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

int main(int argc, char** argv) {
  using namespace fieldscope;
  tuneAllocatorForTensors();  // as the app's main() does: measure what a user gets
  keepBlasSingleThreaded();
  std::string model = std::string(FIELDSCOPE_SOURCE_DIR) + "/assets/models/nerf-scene-0007.fsm";
  std::string out = "bench/results/model_nerf.json";
  int threads = int(std::max(1u, std::thread::hardware_concurrency())), frames = 6;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--model") model = v;
    else if (k == "--threads") threads = std::stoi(v);
    else if (k == "--frames") frames = std::stoi(v);
    else if (k == "--out") out = v;
    else {
      std::fprintf(stderr, "unknown argument %s\n", k.c_str());
      return 2;
    }
  }
  const double loadAtStart = loadAverage();
  torch::set_num_threads(threads);
  const NerfField field = loadNerfScene(model);
  nlohmann::json j = {{"model", model},
                      {"preset", field.config.preset},
                      {"commit", bench::commit()},
                      {"device", "cpu"},
                      {"threads",
                       {{"torch_intra_op", at::get_num_threads()},
                        {"hardware", bench::hardwareThreads()},
                        {"blas", blasThreadsText()}}},
                      {"hardware", hardwareDescription()},
                      {"machine_load_average_1min", loadAtStart},
                      {"load_average_at_start", loadAtStart}};
  torch::Tensor grid;
  for (int n : {64, 128, 192}) {
    const auto t0 = std::chrono::steady_clock::now();
    grid = bakeForPictures(field, n);
    j["bake_s"][std::to_string(n)] = since(t0);
    std::printf("bake %d^3: %.2f s\n", n, since(t0));
  }
  const CameraFrame cam = OrbitCamera(nerfHomeCamera()).frame();
  for (auto [w, h] : {std::pair{160, 90}, std::pair{320, 180}}) {
    const auto t0 = std::chrono::steady_clock::now();
    renderNerfPicture({&field, {}, 0.5}, cam, w, h, NerfRenderMode::Colour, {1, 1, 1});
    const double s = since(t0);
    j["exact_still_s"][std::to_string(w) + "x" + std::to_string(h)] = s;
    j["exact_still_s"]["1280x720_projected"] = s * (1280.0 * 720.0) / (double(w) * h);
    std::printf("exact still %dx%d: %.2f s (1280x720 projected %.1f s)\n", w, h, s, s * (1280.0 * 720.0) / (double(w) * h));
  }
  {
    const auto t0 = std::chrono::steady_clock::now();
    renderNerfPicture({&field, grid, 0.5}, cam, 1280, 720, NerfRenderMode::Colour, {1, 1, 1});
    j["baked_frame_1280x720_s"] = since(t0);
    std::printf("baked-grid frame 1280x720 (192^3): %.2f s\n", since(t0));
  }
  {
    TurntableSettings spin;
    spin.seconds = 4;
    spin.fps = 30;
    spin.start = nerfHomeCamera();
    const std::filesystem::path mp4 = std::filesystem::temp_directory_path() / "fieldscope_nerf_bench.mp4";
    const auto t0 = std::chrono::steady_clock::now();
    const ExportReport r = writeNerfVideo({&field, grid, 0.5}, frames, [&](int k) { return turntableCamera(spin, k); }, 1280,
                                          720, 30, NerfRenderMode::Colour, mp4, {});
    const double s = since(t0);
    std::filesystem::remove(mp4);
    j["turntable_1280x720_30fps"] = {{"frames_timed", r.framesWritten},
                                     {"seconds", s},
                                     {"per_frame_s", s / r.framesWritten},
                                     {"projected_4s_120_frames_s", s / r.framesWritten * spin.frames()},
                                     {"codec", r.codec}};
    std::printf("turntable 1280x720: %d frames in %.1f s (4 s @ 30 fps projected %.0f s)\n", r.framesWritten, s,
                s / r.framesWritten * spin.frames());
  }
  j["peak_rss_mb"] = peakRssMb();
  j["load_average_at_end"] = loadAverage();
  writeBytesAtomically(out, j.dump(2) + "\n");
  return 0;
}
