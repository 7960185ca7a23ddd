// Image model timings on CUDA (issue 6), fp32 vs fp16, on an untrained model of a preset (paper:
// the DDMI sizes, for which there is no trained checkpoint; the work per pixel and per step does
// not depend on the weights' values):
//   decode of a full 1920x1080 view into a preallocated H x W x 4 uint8 tensor on the device,
//   a 50-step DDIM sample (batch 1) eagerly and with CUDA graphs, makeFields (the VAE decoder pass).
// Each number is the median of --runs timed runs after --warmup untimed ones, with the device
// synchronised before each clock read. Runs on the CPU too (use --preset small there); do not
// record CPU runs into bench/results/model_gpu.json.
//   model_gpu_bench [--device cuda|cuda:N|cpu] [--preset paper|small|tiny] [--runs 10] [--warmup 3]
//                   [--device-name NAME] [--out bench/results/model_gpu.json]
#include <torch/cuda.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.h"
#include "model/diffusion/cuda_graph_epsilon.h"
#include "model/image/image_model.h"
#include "model/io/atomic_file.h"
#include "model/util/compute_options.h"

namespace {

using fieldscope::ComputeOptions;
using fieldscope::ImageModel;

struct Args {
  std::string device = torch::cuda::is_available() ? "cuda" : "cpu";
  std::string preset = "paper", out = "bench/results/model_gpu.json", deviceName;
  int runs = 10, warmup = 3, width = 1920, height = 1080, steps = 50;
};

Args parseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(k + " needs a value");
      return argv[++i];
    };
    if (k == "--device") a.device = next();
    else if (k == "--preset") a.preset = next();
    else if (k == "--out") a.out = next();
    else if (k == "--device-name") a.deviceName = next();
    else if (k == "--runs") a.runs = std::max(1, std::stoi(next()));
    else if (k == "--warmup") a.warmup = std::max(0, std::stoi(next()));
    else if (k == "--steps") a.steps = std::max(1, std::stoi(next()));
    else throw std::runtime_error("unknown argument '" + k + "' (see the comment at the top of model_gpu_bench.cpp)");
  }
  return a;
}

void sync(const torch::Device& d) {
  if (d.is_cuda()) torch::cuda::synchronize(d.index());
}

// Median wall time (ms) of fn over `runs` runs after `warmup` untimed ones.
double medianMs(const torch::Device& d, int warmup, int runs, const std::function<void()>& fn) {
  for (int i = 0; i < warmup; ++i) fn();
  sync(d);
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    sync(d);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms.size() % 2 ? ms[ms.size() / 2] : 0.5 * (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]);
}

nlohmann::json benchPrecision(const Args& a, const ComputeOptions& o) {
  auto model = ImageModel::untrained(a.preset, o, 0);
  const torch::Device d = o.device;
  nlohmann::json j = {{"compute", fieldscope::describe(o)}};
  torch::Tensor z, zEager;
  // The DDIM loop eagerly and with its UNet call replayed from a CUDA graph (cuda_graph_epsilon.h).
  fieldscope::setCudaGraphsEnabled(false);
  j["ddim_eager_ms"] = medianMs(d, std::min(a.warmup, 1), a.runs, [&] { zEager = model->sampleLatent(3, a.steps); });
  fieldscope::setCudaGraphsEnabled(true);
  j["cuda_graphs"] = fieldscope::cudaGraphsEnabled() && d.is_cuda();
  j["ddim_ms"] = medianMs(d, std::min(a.warmup, 1), a.runs, [&] { z = model->sampleLatent(3, a.steps); });
  j["ddim_graphed_vs_eager_max_abs_diff"] = (z - zEager).abs().max().item<double>();
  fieldscope::ImageFields fields;
  j["make_fields_ms"] = medianMs(d, a.warmup, a.runs, [&] { fields = model->makeFields(z); });
  auto out = torch::empty({a.height, a.width, 4}, torch::dtype(torch::kUInt8).device(d));
  const double decodeMs =
      medianMs(d, a.warmup, a.runs, [&] { model->decodeRegion(fields, 0, 0, 1, 1, a.width, a.height, out); });
  j["decode_ms"] = decodeMs;
  j["decode_megapixels_per_s"] = a.width * double(a.height) / decodeMs / 1e3;
  const double zoomMs = medianMs(d, a.warmup, a.runs, [&] {
    model->decodeRegion(fields, 0.3, 0.3, 0.301, 0.3005625, a.width, a.height, out);
  });
  j["decode_zoom1000_ms"] = zoomMs;
  std::printf("%-28s DDIM-%d eager %9.1f ms\n", fieldscope::describe(o).c_str(), a.steps, j["ddim_eager_ms"].get<double>());
  std::printf("%-28s DDIM-%d %9.1f ms   makeFields %8.2f ms   decode %dx%d %8.2f ms (x1000 zoom %8.2f ms)\n",
              fieldscope::describe(o).c_str(), a.steps, j["ddim_ms"].get<double>(), j["make_fields_ms"].get<double>(),
              a.width, a.height, decodeMs, zoomMs);
  std::fflush(stdout);
  return j;
}

}  // namespace

int main(int argc, char** argv) {
  const double loadAtStart = fieldscope::bench::loadAverage();
  try {
    const Args a = parseArgs(argc, argv);
    const ComputeOptions fp32 = fieldscope::parseComputeOptions(a.device, "fp32");
    torch::set_num_threads(std::max(1u, std::thread::hardware_concurrency()));
    nlohmann::json runs = nlohmann::json::array();
    runs.push_back(benchPrecision(a, fp32));
    if (fp32.device.is_cuda()) runs.push_back(benchPrecision(a, fieldscope::parseComputeOptions(a.device, "fp16")));
    std::string name = a.deviceName;
    if (name.empty() && fp32.device.is_cuda()) name = fieldscope::cudaDeviceName(fp32.device.index());
    if (name.empty() && !fp32.device.is_cuda()) name = "cpu (" + std::to_string(std::thread::hardware_concurrency()) + " threads)";
    nlohmann::json j = {{"bench", "model_gpu_bench"},
                        {"commit", fieldscope::bench::commit()},
                        {"device", fp32.device.str()},
                        {"device_name", name},
                        {"threads",
                         {{"torch_intra_op", at::get_num_threads()}, {"hardware", fieldscope::bench::hardwareThreads()}}},
                        {"machine_load_average_1min", loadAtStart},
                        {"machine_load_average_1min_at_end", fieldscope::bench::loadAverage()},
                        {"preset", a.preset},
                        {"model", "untrained (random weights, seed 0)"},
                        {"libtorch", TORCH_VERSION},
                        {"tf32_cudnn", fp32.device.is_cuda() ? nlohmann::json(at::globalContext().allowTF32CuDNN()) : nlohmann::json()},
                        {"view", {a.width, a.height}},
                        {"ddim_steps", a.steps},
                        {"runs", a.runs},
                        {"warmup", a.warmup},
                        {"statistic", "median wall ms, device synchronised"},
                        {"peak_cuda_memory", nullptr},
                        {"peak_cuda_memory_note", "no generic LibTorch API reports it (c10/cuda only)"},
                        {"results", runs}};
    fieldscope::writeBytesAtomically(a.out, j.dump(2) + "\n");
    std::printf("wrote %s\n", a.out.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "model_gpu_bench: %s\n", e.what());
    return 1;
  }
}
