// Super-resolution diffusion stage, by part (docs/architecture.md "The super-resolution domain"):
// the tiled encoding of a 1024² upsampling (the condition), one DDIM step of the windowed sampler
// on its 256² latent at several windows per UNet call, and the tiled decoding of a given latent --
// the three parts of `upscale --scale 4` of a 256² picture (bench/sr_diffusion_bench.sh times the
// whole command). Uses the shipped assets/models/photo-sr-ldm.fsm, or FIELDSCOPE_SR_MODEL if set.
// Record: model_sr_bench --benchmark_out=bench/results/model_sr.json --benchmark_out_format=json
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <cstdlib>
#include <memory>

#include "bench/bench_support.h"
#include "model/checkpoint/checkpoint.h"
#include "model/sr/sr_ae_io.h"
#include "model/sr/sr_diffusion.h"
#include "model/sr/tiled_upscale.h"
#include "model/util/allocator_tuning.h"
#include "model/util/blas_threads.h"

namespace {

using namespace fieldscope;

constexpr int64_t kIn = 256, kOut = 1024;

struct Loaded {
  SrAutoencoder ae{nullptr};
  SrDiffusion diffusion;
  torch::Tensor lr, cond;
  TileSpec tiles;
};

Loaded& loaded() {
  static std::unique_ptr<Loaded> l = [] {
    keepBlasSingleThreaded();  // as the app does
    const char* threads = std::getenv("FIELDSCOPE_THREADS");
    torch::set_num_threads(threads ? std::atoi(threads) : 2);
    const char* env = std::getenv("FIELDSCOPE_SR_MODEL");
    const Checkpoint ckpt = loadCheckpoint(env ? env : FIELDSCOPE_SOURCE_DIR "/assets/models/photo-sr-ldm.fsm", "sr");
    auto out = std::make_unique<Loaded>();
    out->ae = restoreSrAutoencoder(ckpt);
    out->ae->eval();
    out->diffusion = restoreSrDiffusion(ckpt);
    torch::manual_seed(3);
    // A smooth random picture (the timings do not depend on its content).
    out->lr = torch::nn::functional::interpolate(
                  torch::rand({1, 3, kIn / 8, kIn / 8}) * 2 - 1,
                  torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{kIn, kIn}).mode(torch::kBilinear).align_corners(false));
    out->tiles = upscaleTiles(out->ae->config());  // what `upscale` uses
    out->cond = encodeUpsampledTiled(out->ae, out->lr, kOut, kOut, out->tiles);
    return out;
  }();
  return *l;
}

void BM_EncodeCondition(benchmark::State& state) {
  Loaded& l = loaded();
  for (auto _ : state) benchmark::DoNotOptimize(encodeUpsampledTiled(l.ae, l.lr, kOut, kOut, l.tiles));
  state.counters["peak_rss_mb"] = bench::peakRssMb();
}

void BM_SamplerStep(benchmark::State& state) {
  Loaded& l = loaded();
  SrSampling s;
  s.steps = 1;
  s.windowsPerBatch = state.range(0);
  for (auto _ : state) benchmark::DoNotOptimize(sampleSrLatents(l.diffusion, l.cond, {0}, s));
  state.counters["peak_rss_mb"] = bench::peakRssMb();
}

// The UNet alone on the windows of one step (1849 windows of 8 x 8 cells for a 256² latent),
// state.range(0) windows a call: what the sampler's step costs without its window bookkeeping.
void BM_UNetOnWindows(benchmark::State& state) {
  Loaded& l = loaded();
  UNet& unet = l.diffusion.ldm.unet;
  const int64_t cells = unet->config().resolution, n = state.range(0), windows = 1849;
  const auto x = torch::randn({n, l.cond.size(1), cells, cells}), c = torch::randn({n, l.cond.size(1), cells, cells});
  const auto t = torch::full({n}, 500, torch::kInt64), sq = torch::full({n}, 0.5f);
  torch::NoGradGuard noGrad;
  for (auto _ : state)
    for (int64_t done = 0; done < windows; done += n) benchmark::DoNotOptimize(unet->forward(x, t, sq, c));
}

void BM_DecodeLatent(benchmark::State& state) {
  Loaded& l = loaded();
  for (auto _ : state)
    upscaleFromLatent(l.ae, l.lr, l.cond, kOut, kOut, l.tiles, [](const torch::Tensor& band, int64_t) {
      benchmark::DoNotOptimize(band.data_ptr());
    });
  state.counters["peak_rss_mb"] = bench::peakRssMb();
}

// The decoder-only path (no diffusion): encoding and decoding in the same tiles.
void BM_DecoderOnly(benchmark::State& state) {
  Loaded& l = loaded();
  for (auto _ : state)
    upscaleDecoderOnly(l.ae, l.lr, kOut, kOut, l.tiles, [](const torch::Tensor& band, int64_t) {
      benchmark::DoNotOptimize(band.data_ptr());
    });
  state.counters["peak_rss_mb"] = bench::peakRssMb();
}

}  // namespace

BENCHMARK(BM_EncodeCondition)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_SamplerStep)->Arg(32)->Arg(256)->Arg(1024)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_UNetOnWindows)->Arg(256)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_DecodeLatent)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_DecoderOnly)->Unit(benchmark::kMillisecond)->Iterations(3);

int main(int argc, char** argv) {
  fieldscope::tuneAllocatorForTensors();  // as the app's main() does: measure what a user gets
  benchmark::Initialize(&argc, argv);
  benchmark::AddCustomContext("commit", fieldscope::bench::commit());
  benchmark::AddCustomContext("torch_threads", std::getenv("FIELDSCOPE_THREADS") ? std::getenv("FIELDSCOPE_THREADS") : "2");
  benchmark::AddCustomContext("machine_load_average_1min", std::to_string(fieldscope::bench::loadAverage()));
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
