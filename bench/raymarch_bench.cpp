// Ray-march frame time of the 3D view on this Vulkan device (lavapipe on the CPU default):
// a sphere's occupancy logits baked into an n^3 SharedTensor, marched at 1280x720 by
// GridRaymarcher while the camera orbits (6 degrees a frame), one submit + wait per frame
// (what the viewer's frame pays for the pass). The first frame is timed apart: lavapipe compiles
// the shaders at the first submit (docs/architecture.md "Performance facts"). Results: JSON on stdout and in argv[1].
//   raymarch_bench [out.json] [frames] [grid sizes, e.g. 128,256] [step voxels] [skip modes: 1,0] [iso-level]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sys/resource.h>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "render/context.h"
#include "render/grid_raymarcher.h"
#include "render/offscreen_image.h"
#include "render/orbit_camera.h"

namespace {
using namespace fieldscope;
using Clock = std::chrono::steady_clock;
// The 1-minute load average: the machine is shared, and lavapipe's time is the CPU's.
using bench::loadAverage;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// CPU time of the whole process (lavapipe's worker threads included), ms. On a shared machine
// it is steadier than wall time: it counts only the time our threads actually ran.
double processCpuMs() {
  rusage r{};
  getrusage(RUSAGE_SELF, &r);
  return (r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e3 + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) * 1e-3;
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(q * double(v.size() - 1) + 0.5))];
}

// Logits 40 (0.3 - |x|) over [-0.5, 0.5]^3, written through the host mapping (CPU backend).
void bakeSphere(SharedTensor& grid, int n) {
  auto* v = static_cast<float*>(grid.torchData());
  for (int z = 0; z < n; ++z)
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x) {
        auto c = [n](int i) { return -0.5f + (float(i) + 0.5f) / float(n); };
        v[(size_t(z) * n + y) * n + x] = 40.0f * (0.3f - std::sqrt(c(x) * c(x) + c(y) * c(y) + c(z) * c(z)));
      }
  grid.torchWritesDone();
}

nlohmann::json run(VulkanContext& ctx, GridRaymarcher& marcher, OffscreenImage& image, int n, int frames,
                   bool skip, float stepVoxels, float iso) {
  auto grid = SharedTensor::create(ctx.ref(), {n, n, n}, SharedScalar::Float32);
  bakeSphere(*grid, n);
  ctx.submitAndWait([](VkCommandBuffer) {});  // nothing may still read the previous grid
  marcher.setGrid(*grid, 0.5f);
  RaymarchSettings settings;
  settings.skipEmptySpace = skip;
  settings.stepVoxels = stepVoxels;
  settings.isoLevel = iso;
  OrbitCameraState cs;  // azimuth 30, elevation 20, distance 1.8, fov 40, target at the origin
  OrbitCamera camera(cs);
  std::vector<double> cpu;
  auto frame = [&](int i) {
    const auto t0 = Clock::now();
    const double c0 = processCpuMs();
    ctx.submitAndWait([&](VkCommandBuffer cmd) { marcher.record(cmd, image, camera.frame(), settings, i % kFramesInFlight); },
                      {grid->vulkanWait()});
    cpu.push_back(processCpuMs() - c0);
    camera.rotate(6.0f, 0.0f);
    return ms(Clock::now() - t0);
  };
  const double first = frame(0);
  std::vector<double> times;
  for (int i = 1; i <= frames; ++i) times.push_back(frame(i));
  nlohmann::json r = {{"grid", n},
                      {"empty_space_skipping", skip},
                      {"step_voxels", stepVoxels},
                      {"iso_level", iso},
                      {"frames", frames},
                      {"first_frame_ms", first},
                      {"median_ms", percentile(times, 0.5)},
                      {"p95_ms", percentile(times, 0.95)},
                      {"min_ms", percentile(times, 0.0)},
                      {"cpu_median_ms", percentile({cpu.begin() + 1, cpu.end()}, 0.5)}};
  std::fprintf(stderr, "grid %d^3 skip %d step %.2f: first %.1f ms, median %.1f ms, p95 %.1f ms, cpu %.1f ms\n", n, int(skip), stepVoxels,
               first, r["median_ms"].get<double>(), r["p95_ms"].get<double>(), r["cpu_median_ms"].get<double>());
  ctx.submitAndWait([](VkCommandBuffer) {});
  return r;
}
}  // namespace

int main(int argc, char** argv) {
  const std::string out = argc > 1 ? argv[1] : "";
  const int frames = argc > 2 ? std::stoi(argv[2]) : 60;
  auto list = [](const std::string& text) {
    std::vector<int> v;
    for (size_t i = 0; i < text.size();) {
      size_t j = text.find(',', i);
      if (j == std::string::npos) j = text.size();
      v.push_back(std::stoi(text.substr(i, j - i)));
      i = j + 1;
    }
    return v;
  };
  const std::vector<int> grids = list(argc > 3 ? argv[3] : "128,256");
  const float stepVoxels = argc > 4 ? std::stof(argv[4]) : 0.5f;
  const std::vector<int> skipModes = list(argc > 5 ? argv[5] : "1,0");
  const float iso = argc > 6 ? std::stof(argv[6]) : 0.0f;
  const double loadAtStart = loadAverage();
  ContextOptions o;
  o.quiet = true;
  VulkanContext ctx(o);
  GridRaymarcher marcher(ctx);
  OffscreenImage image(ctx, 1280, 720);
  nlohmann::json results = nlohmann::json::array();
  for (int n : grids)
    for (int skip : skipModes) results.push_back(run(ctx, marcher, image, n, frames, skip != 0, stepVoxels, iso));
  nlohmann::json doc = {{"bench", "raymarch_bench"},
                        {"commit", bench::commit()},
                        {"device", ctx.deviceName()},
                        {"threads",
                         {{"torch", "not used"},
                          {"hardware", bench::hardwareThreads()},
                          {"LP_NUM_THREADS", std::getenv("LP_NUM_THREADS") ? std::getenv("LP_NUM_THREADS") : "unset"}}},
                        {"resolution", "1280x720"},
                        {"scene", "sphere r=0.3 in [-0.5,0.5]^3, logits 40 (r - |x|), iso 0, step 0.5 voxel, "
                                  "orbiting 6 deg/frame, azimuth 30 start, elevation 20, distance 1.8, fov 40"},
                        {"machine_load_average_1min", loadAtStart},
                        {"machine_load_average_at_end", loadAverage()},
                        {"timing", "wall clock of record + vkQueueSubmit + wait, per frame"},
                        {"results", results}};
  std::printf("%s\n", doc.dump(2).c_str());
  if (!out.empty()) std::ofstream(out) << doc.dump(2) << "\n";
  return 0;
}
