// The image viewer on a GPU with a paper-sized image model (docs/architecture.md "Models" sizes; untrained
// weights: the timings do not depend on them). Measures, on CUDA device 0:
//   - a 50-step DDIM sample and the VAE decoder (basis fields), fp32 and fp16;
//   - decoding a full 1920x1080 view straight into Vulkan memory shared with CUDA, fp32 and fp16;
//   - baking a paper-sized occupancy decoder (random triplane fields) into a 256^3 float grid in
//     shared memory, fp32 and fp16;
//   - the headless viewer (tile pyramid + worker + compositor, CUDA shared atlas) zooming x1 ->
//     x1000 -> x1 at 1920x1080: frame time while moving (update + compose + submit + wait, no
//     present: there is no display), and the time from the last input to full detail.
// Writes JSON (argv[1], default stdout). Exit 2 without a CUDA device.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "app/gui/headless_viewer.h"
#include "app/gui/input_script.h"
#include "app/domains/image/model_source.h"
#include "bench/bench_support.h"
#include "cuda_interop/cuda_support.h"
#include "cuda_interop/shared_tensor_torch.h"
#include "model/image/image_model.h"
#include "model/io/atomic_file.h"
#include "model/shape/occupancy_grid.h"
#include "model/util/compute_options.h"

using namespace fieldscope;
using Clock = std::chrono::steady_clock;

namespace {
double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

template <class F>
double medianMs(F&& f, int reps) {
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    torch::cuda::synchronize();
    const auto t0 = Clock::now();
    f(i);
    torch::cuda::synchronize();
    t.push_back(msSince(t0));
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}
double pct(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * v.size()))];
}
}  // namespace

int main(int argc, char** argv) {
  const double loadAtStart = bench::loadAverage();
  CudaDeviceInfo info;
  std::string why;
  if (!queryCudaDevice(0, info, why) || !torch::cuda::is_available()) {
    std::fprintf(stderr, "gpu_viewer_bench: needs a CUDA device: %s\n", why.c_str());
    return 2;
  }
  nlohmann::json j;
  j["cuda_device"] = info.name;
  j["commit"] = bench::commit();
  j["machine_load_average_1min"] = loadAtStart;
  j["model"] = "image VAE + LDM, preset paper (untrained weights)";
  constexpr int W = 1920, H = 1080;
  std::shared_ptr<ImageModel> fp16Model;
  {
    ContextOptions o;
    o.quiet = true;
    o.cudaDevice = 0;
    VulkanContext ctx(o);
    auto shared = SharedTensor::create(ctx.ref(), {H, W, 4}, SharedScalar::UInt8, SharedBackend::Cuda);
    torch::Tensor view = asTensor(*shared);
    for (const char* precision : {"fp32", "fp16"}) {
      torch::InferenceMode guard;
      const ComputeOptions c = parseComputeOptions("cuda", precision);
      std::shared_ptr<ImageModel> model(ImageModel::untrained("paper", c, 0));
      model->sampleLatent(1, 50);  // warm-up (kernels, cuDNN/cuBLAS plans)
      torch::Tensor latent;
      const double ddim = medianMs([&](int i) { latent = model->sampleLatent(uint64_t(i), 50); }, 5);
      ImageFields fields;
      const double makeFields = medianMs([&](int) { fields = model->makeFields(latent); }, 5);
      model->decodeRegion(fields, 0, 0, 1, double(H) / W, W, H, view);
      const double decode = medianMs(
          [&](int i) {
            const double x0 = 0.001 * i;  // a new view each time
            model->decodeRegion(fields, x0, 0, x0 + 1, double(H) / W, W, H, view);
            shared->torchWritesDone();
          },
          10);
      const std::string p = precision;
      j["ddim50_sample_ms_" + p] = ddim;
      j["make_fields_ms_" + p] = makeFields;
      j["decode_1920x1080_into_shared_memory_ms_" + p] = decode;
      if (p == "fp16") fp16Model = model;
    }
    // Occupancy bake at 256^3 into a shared grid (what the 3D viewer ray-marches).
    auto grid = SharedTensor::create(ctx.ref(), {256, 256, 256}, SharedScalar::Float32, SharedBackend::Cuda);
    torch::Tensor gridView = asTensor(*grid);
    for (bool half : {false, true}) {
      torch::InferenceMode guard;
      torch::manual_seed(0);
      OccupancyDecoder decoder(OccupancyDecoderConfig::preset_("paper"));
      decoder->to(torch::kCUDA, half ? torch::kHalf : torch::kFloat32);
      decoder->eval();
      const auto fields =
          decoder->randomFields(1, torch::TensorOptions().device(torch::kCUDA).dtype(half ? torch::kHalf : torch::kFloat32));
      bakeOccupancy(decoder, fields, 256, gridView);
      const double bake = medianMs([&](int) { bakeOccupancy(decoder, fields, 256, gridView), grid->torchWritesDone(); }, 5);
      j[std::string("occupancy_bake_256_cubed_ms_") + (half ? "fp16" : "fp32")] = bake;
    }
  }

  // The viewer zooming, fp16 model, CUDA shared atlas.
  HeadlessViewer viewer(-1, 0);
  auto loaded = std::make_shared<LoadedModel>();
  loaded->path = "paper-untrained";
  loaded->model = fp16Model;
  SampleSpec spec;
  spec.seed = 7;
  viewer.pyramid().setSource(makeSampleSource(loaded, spec));
  View2D view;
  view.setViewport(W, H);
  view.reset();
  for (int i = 0; i < 200 && !viewer.pyramid().converged(view); ++i) viewer.composeFrame(view, true), std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto script = InputScript::make("zoom-1000");
  std::vector<double> frameMs;
  for (int f = 0;; ++f) {
    const ScriptStep s = script->step(f);
    if (s.done) break;
    const auto t0 = Clock::now();
    if (s.zoomFactor != 1.0) view.zoomAbout(W * 0.5, H * 0.5, s.zoomFactor);
    if (s.panX != 0.0 || s.panY != 0.0) view.pan(s.panX, s.panY);
    viewer.composeFrame(view, false);
    frameMs.push_back(msSince(t0));
  }
  const auto lastInput = Clock::now();
  double tilesMs = -1, detailMs = -1;
  while (msSince(lastInput) < 60000) {
    viewer.composeFrame(view, true);
    if (tilesMs < 0 && viewer.pyramid().tilesComplete()) tilesMs = msSince(lastInput);
    if (viewer.pyramid().converged(view)) {
      detailMs = msSince(lastInput);
      break;
    }
  }
  double sum = 0;
  for (double m : frameMs) sum += m;
  j["device"] = viewer.context().deviceName();
  j["threads"] = {{"torch_intra_op_main_thread", at::get_num_threads()},
                  {"hardware", bench::hardwareThreads()},
                  {"FIELDSCOPE_THREADS", std::getenv("FIELDSCOPE_THREADS") ? std::getenv("FIELDSCOPE_THREADS") : "unset"}};
  j["viewer_device"] = viewer.context().deviceName();
  j["viewer_backend"] = sharedBackendName(viewer.pyramid().backend());
  j["viewer_zoom_frames"] = frameMs.size();
  j["viewer_frame_ms_p50"] = pct(frameMs, 0.5);
  j["viewer_frame_ms_p95"] = pct(frameMs, 0.95);
  j["viewer_fps_mean"] = 1000.0 * frameMs.size() / sum;
  j["viewer_last_input_to_all_tiles_ms"] = tilesMs;
  j["viewer_last_input_to_full_detail_ms"] = detailMs;
  j["viewer_note"] = "headless: update + compose + submit + wait per frame; no swapchain present (no display)";
  j["validation_errors"] = viewer.context().validationErrors();
  const std::string text = j.dump(2) + "\n";
  std::fputs(text.c_str(), stdout);
  if (argc > 1) writeBytesAtomically(argv[1], text);
  return viewer.context().validationErrors() == 0 ? 0 : 1;
}
