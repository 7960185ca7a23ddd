// Image model timings (small preset): region decode throughput (output pixels/s) at 256², 1280x720
// and for zoomed regions; the one-off VAE decoder pass (makeFields); 50-step DDIM sampling; peak RSS.
// Uses the shipped assets/models/emoji-image.fsm, or FIELDSCOPE_IMAGE_MODEL if set.
// BM_ReadoutVsGemm: the whole-view readout against a plain GEMM of the readout's own shapes (the
// machine's practical limit for that arithmetic), timed in the same run; its share of the rate.
// Record: model_image_bench --benchmark_out=bench/results/model_image.json --benchmark_out_format=json
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <torch/torch.h>

#include <cstdlib>
#include <memory>
#include <string>

#include <ATen/Parallel.h>

#include <chrono>

#include "bench/bench_support.h"
#include "model/image/image_model.h"
#include "model/image/region_decoder.h"
#include "model/util/allocator_tuning.h"
#include "model/util/blas_threads.h"
#include "model/util/cpu_gemm.h"
#include "model/util/parallel_chunks.h"

namespace {

using fieldscope::ImageFields;
using fieldscope::ImageModel;

ImageModel& model() {
  static std::unique_ptr<ImageModel> m = [] {
    fieldscope::keepBlasSingleThreaded();  // as the app does (no BLAS threads under torch's)
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
BENCHMARK(BM_Decode720pChunk)->Arg(1024)->Arg(2048)->Arg(4096)->Arg(8192)->Arg(16384)->Arg(32768)->Arg(65536)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The viewer's exact view (inference_worker.cpp runExact): a 1280x676 view decoded in bands of
// `rows` rows, each band one decodeRegion with its own set-up, on every core. Its per-band cost
// sets how small the bands of a moving view's exact decode can be.
void BM_Decode720pBands(benchmark::State& state) {
  const int W = 1280, H = 676, rows = static_cast<int>(state.range(0));
  auto out = torch::empty({H, W, 4}, torch::kUInt8);
  ImageFields& f = fields();
  fieldscope::ScopedChunkThreads threads(2);
  for (auto _ : state)
    for (int r0 = 0; r0 < H; r0 += rows) {
      const int r1 = std::min(H, r0 + rows);
      model().decodeRegion(f, 0, double(r0) / H, 1, double(r1) / H, W, r1 - r0, out.narrow(0, r0, r1 - r0));
    }
  state.counters["bands"] = (H + rows - 1) / rows;
}
BENCHMARK(BM_Decode720pBands)->Arg(26)->Arg(51)->Arg(102)->Arg(205)->Arg(676)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The readout's GEMMs alone: per chunk of `chunk` points, each layer's h-part (P x hIn by hIn x
// out, plus the bias where the layer has no field) on the same threads, with no interpolation,
// activation or conversion, through the readout's own GEMM (cpu_gemm.h: oneDNN where the build
// has it) or, with `openblas`, through torch's mm (OpenBLAS). Returns the FLOPs of one whole view.
double readoutGemms(int64_t W, int64_t H, int64_t chunk, std::vector<torch::Tensor>& weights, bool openblas = false) {
  if (weights.empty()) {
    // The h-parts of the readout's own folded layers (a field layer's field columns are applied
    // to the small field once per render, region_decoder.cpp): the shapes the readout multiplies.
    c10::InferenceMode guard;
    const int64_t C = model().vae()->config().fieldChannels;
    for (const auto& L : model().vae()->foldScale(1.0, 1.0).layers) {
      const int64_t hIn = L.weightT.size(0) - (L.fieldIndex >= 0 ? C : 0);
      if (hIn > 0) weights.push_back(L.weightT.narrow(0, 0, hIn).contiguous());
    }
  }
  const int64_t points = W * H, chunks = (points + chunk - 1) / chunk;
  const int64_t width = weights[0].size(0);
  fieldscope::parallelChunks(chunks, [&](int64_t begin, int64_t end) {
    c10::InferenceMode guard;
    torch::Tensor a = torch::randn({chunk, width}), b = torch::empty({chunk, width});
    for (int64_t k = begin; k < end; ++k) {
      torch::Tensor h = a;
      for (size_t i = 0; i < weights.size(); ++i) {
        torch::Tensor out = (i % 2 ? a : b).narrow(1, 0, weights[i].size(1));
        if (openblas)
          at::mm_out(out, h, weights[i]);
        else
          fieldscope::gemmInto(out, h, weights[i], 0);
        h = out;
      }
    }
  });
  double flops = 0;
  for (const auto& w : weights) flops += 2.0 * double(w.size(0)) * double(w.size(1));
  return flops * double(chunks * chunk);
}

void BM_ReadoutVsGemm(benchmark::State& state) {
  const int64_t W = state.range(0), H = state.range(1);
  auto out = torch::empty({H, W, 4}, torch::kUInt8);
  ImageFields& f = fields();
  std::vector<torch::Tensor> weights;
  const int64_t chunk = fieldscope::defaultChunkPoints(model().vae()->config(), torch::kCPU, torch::kFloat32);
  double readoutS = 0, gemmS = 0, openblasS = 0, torchReadoutS = 0, flops = 0;
  for (auto _ : state) {
    const double r = fieldscope::bench::seconds([&] { model().decodeRegion(f, 0, 0, 1, 1, int(W), int(H), out); });
    fieldscope::setOneDnnGemm(false);  // the readout as it was before cpu_gemm.h: its GEMMs through torch
    torchReadoutS += fieldscope::bench::seconds([&] { model().decodeRegion(f, 0, 0, 1, 1, int(W), int(H), out); });
    fieldscope::setOneDnnGemm(true);
    const double g = fieldscope::bench::seconds([&] { flops = readoutGemms(W, H, chunk, weights); });
    openblasS += fieldscope::bench::seconds([&] { readoutGemms(W, H, chunk, weights, true); });
    readoutS += r;
    gemmS += g;
    state.SetIterationTime(r);
  }
  const double n = double(state.iterations());
  state.counters["readout_ms"] = 1e3 * readoutS / n;
  state.counters["gemm_ms"] = 1e3 * gemmS / n;
  state.counters["readout_gflops"] = flops / (readoutS / n) / 1e9;
  state.counters["gemm_gflops"] = flops / (gemmS / n) / 1e9;
  state.counters["openblas_gemm_ms"] = 1e3 * openblasS / n;  // the same GEMMs through torch's mm
  state.counters["openblas_gemm_gflops"] = flops / (openblasS / n) / 1e9;
  state.counters["readout_torch_gemm_ms"] = 1e3 * torchReadoutS / n;  // the same readout, GEMMs through torch's addmm
  state.counters["readout_share_of_gemm_rate"] = gemmS / readoutS;
  state.counters["torch_threads"] = at::get_num_threads();
  state.counters["chunk_points"] = double(chunk);
}
BENCHMARK(BM_ReadoutVsGemm)->Args({1280, 720})->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(3.0);

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

// A class-conditional model (issue 16): the guided sampler, group "any" at the file's default
// guidance: two UNet evaluations a step (conditional and unconditional, in one batch).
fieldscope::ClassGuidance guided() {
  if (model().classes().empty()) return {};
  return {fieldscope::kAnyClass, model().classes().defaultGuidance};
}

void BM_Ddim50Guided(benchmark::State& state) {
  if (!guided().active()) return state.SkipWithError("the model has no classes");
  uint64_t seed = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model().sampleLatent(seed++, 50, 0.f, guided()));
  state.counters["guidance"] = guided().scale;
  state.counters["peak_rss_mb"] = peakRssMb();
}
BENCHMARK(BM_Ddim50Guided)->Unit(benchmark::kMillisecond)->MinTime(3.0);

void BM_Ddim50Batch16Guided(benchmark::State& state) {
  if (!guided().active()) return state.SkipWithError("the model has no classes");
  std::vector<uint64_t> seeds;
  for (uint64_t i = 0; i < 16; ++i) seeds.push_back(i);
  for (auto _ : state) benchmark::DoNotOptimize(model().sampleLatents(seeds, 50, 0.f, guided()));
  state.counters["samples_per_s"] = benchmark::Counter(16, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak_rss_mb"] = peakRssMb();
}
BENCHMARK(BM_Ddim50Batch16Guided)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

// BENCHMARK_MAIN() plus what the JSON's "context" should say about the run (google benchmark
// records the date, load_avg and num_cpus itself): the commit, torch's threads once model() has
// set them, BLAS's threads and the device.
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  fieldscope::tuneAllocatorForTensors();  // as the app's main() does: measure what a user gets
  model();  // loads the model and sets the threads (FIELDSCOPE_THREADS, else 2)
  benchmark::AddCustomContext("commit", fieldscope::bench::commit());
  benchmark::AddCustomContext("torch_threads", std::to_string(at::get_num_threads()));
  benchmark::AddCustomContext("hardware_threads", std::to_string(fieldscope::bench::hardwareThreads()));
  benchmark::AddCustomContext("blas_threads", fieldscope::blasThreadsText());
  benchmark::AddCustomContext("readout_gemm", fieldscope::cpuGemmText());
  benchmark::AddCustomContext("device", "cpu");
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
