// Image model timings (small preset): region decode throughput (output pixels/s) at 256², 1280x720
// and for zoomed regions; the one-off VAE decoder pass (makeFields); 50-step DDIM sampling; peak RSS.
// Uses the shipped assets/models/emoji-image.fsm, or FIELDSCOPE_IMAGE_MODEL if set.
// Record: model_image_bench --benchmark_out=bench/results/model_image.json --benchmark_out_format=json
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <torch/torch.h>

#include <cstdlib>
#include <memory>

#include "model/image/image_model.h"
#include "model/image/region_decoder.h"

namespace {

using fieldscope::ImageFields;
using fieldscope::ImageModel;

ImageModel& model() {
  static std::unique_ptr<ImageModel> m = [] {
    const char* threads = std::getenv("FIELDSCOPE_THREADS");
    torch::set_num_threads(threads ? std::atoi(threads) : 2);
    const char* env = std::getenv("FIELDSCOPE_IMAGE_MODEL");
    return ImageModel::load(env ? env : FIELDSCOPE_SOURCE_DIR "/assets/models/emoji-image.fsm");
  }();
  return *m;
}

ImageFields& fields() {
  static ImageFields f = model().makeFields(model().sampleLatent(0, 50));
  return f;
}

double peakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

void decode(benchmark::State& state, double x0, double y0, double x1, double y1) {
  const int W = static_cast<int>(state.range(0)), H = static_cast<int>(state.range(1));
  auto out = torch::empty({H, W, 4}, torch::kUInt8);
  ImageFields& f = fields();
  for (auto _ : state) model().decodeRegion(f, x0, y0, x1, y1, W, H, out);
  state.counters["pixels_per_s"] = benchmark::Counter(static_cast<double>(W) * H, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak_rss_mb"] = peakRssMb();
}

void BM_DecodeWhole(benchmark::State& s) { decode(s, 0, 0, 1, 1); }
void BM_DecodeRegionZoom8(benchmark::State& s) { decode(s, 0.4, 0.4, 0.525, 0.4703125); }
void BM_DecodeRegionZoom1000(benchmark::State& s) { decode(s, 0.3, 0.3, 0.301, 0.3005625); }
BENCHMARK(BM_DecodeWhole)->Args({256, 256})->Args({1280, 720})->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_DecodeRegionZoom8)->Args({1280, 720})->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_DecodeRegionZoom1000)->Args({1280, 720})->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The chunk size trades op overhead against cache residency.
void BM_Decode720pChunk(benchmark::State& state) {
  auto out = torch::empty({720, 1280, 4}, torch::kUInt8);
  ImageFields& f = fields();
  for (auto _ : state) fieldscope::decodeRegionRgba8(model().vae(), f, 0, 0, 1, 1, 1280, 720, out, state.range(0));
  state.counters["pixels_per_s"] = benchmark::Counter(1280.0 * 720, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Decode720pChunk)->Arg(4096)->Arg(16384)->Arg(65536)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_MakeFields(benchmark::State& state) {
  auto z = model().sampleLatent(1, 5);
  for (auto _ : state) benchmark::DoNotOptimize(model().makeFields(z));
  state.counters["peak_rss_mb"] = peakRssMb();
}
BENCHMARK(BM_MakeFields)->Unit(benchmark::kMillisecond);

void BM_Ddim50(benchmark::State& state) {
  uint64_t seed = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model().sampleLatent(seed++, 50, 0.f));
  state.counters["peak_rss_mb"] = peakRssMb();
}
BENCHMARK(BM_Ddim50)->Unit(benchmark::kMillisecond)->MinTime(3.0);

void BM_Ddim50Batch16(benchmark::State& state) {
  std::vector<uint64_t> seeds;
  for (uint64_t i = 0; i < 16; ++i) seeds.push_back(i);
  for (auto _ : state) benchmark::DoNotOptimize(model().sampleLatents(seeds, 50, 0.f));
  state.counters["samples_per_s"] = benchmark::Counter(16, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak_rss_mb"] = peakRssMb();
}
BENCHMARK(BM_Ddim50Batch16)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
