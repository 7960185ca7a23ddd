// Zero copy vs a staging copy through host memory, per frame, on a GPU: torch produces a
// 1920x1080 RGBA8 frame on CUDA and Vulkan must have it in device memory it reads from.
//   zero copy: torch writes straight into Vulkan-owned memory (SharedTensor, CUDA backend); the
//              Vulkan submit waits on the timeline semaphore and reads it in place (here: copies it
//              into the device-local buffer a compositor would read, so both paths end alike).
//   staging:   torch writes into its own CUDA tensor, copies it to host-visible Vulkan memory
//              (device -> host), Vulkan copies that into the device-local buffer (host -> device).
// Each frame is timed until Vulkan's copy has finished. Writes JSON (argv[1], default stdout).
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

#include "bench/bench_support.h"
#include "cuda_interop/cuda_support.h"
#include "cuda_interop/shared_tensor_torch.h"
#include "model/io/atomic_file.h"
#include "render/context.h"
#include "render/gpu_buffer.h"

using namespace fieldscope;

namespace {
template <class F>
std::vector<double> timesMs(F&& f, int reps) {
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f(i);
    t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t;
}
double median(const std::vector<double>& t) { return t[t.size() / 2]; }

// A frame that depends on i (so no frame is a repeat), computed on the GPU by torch.
torch::Tensor makeFrame(const torch::Tensor& xy, int i) {
  auto v = torch::sin(xy * (1.0 + 0.01 * i)).sum(0);  // H x W
  return torch::stack({v, v * 0.5, -v, torch::ones_like(v)}, 2).mul(60).add(128).clamp(0, 255).to(torch::kUInt8);
}
}  // namespace

int main(int argc, char** argv) {
  const double loadAtStart = bench::loadAverage();
  CudaDeviceInfo info;
  std::string why;
  if (!queryCudaDevice(0, info, why) || !torch::cuda::is_available()) {
    std::fprintf(stderr, "gpu_interop_bench: needs a CUDA device: %s\n", why.c_str());
    return 2;
  }
  torch::InferenceMode guard;
  ContextOptions o;
  o.quiet = true;
  o.cudaDevice = 0;
  VulkanContext ctx(o);
  constexpr int W = 1920, H = 1080;
  const VkDeviceSize bytes = VkDeviceSize(W) * H * 4;
  auto shared = SharedTensor::create(ctx.ref(), {H, W, 4}, SharedScalar::UInt8, SharedBackend::Cuda);
  torch::Tensor sharedView = asTensor(*shared);
  GpuBuffer deviceLocal(ctx, bytes, VK_BUFFER_USAGE_TRANSFER_DST_BIT | VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, false);
  GpuBuffer staging(ctx, bytes, VK_BUFFER_USAGE_TRANSFER_SRC_BIT, true);
  torch::Tensor stagingView = torch::from_blob(staging.mapped(), {H, W, 4}, torch::kUInt8);
  const auto f32 = torch::TensorOptions().device(torch::kCUDA).dtype(torch::kFloat32);
  torch::Tensor gx = torch::linspace(0, 20, W, f32).view({1, 1, W}).expand({1, H, W});
  torch::Tensor gy = torch::linspace(0, 12, H, f32).view({1, H, 1}).expand({1, H, W});
  torch::Tensor xy = torch::cat({gx, gy}, 0);

  auto copyInto = [&](VkBuffer src, const std::vector<VulkanWait>& waits) {
    ctx.submitAndWait(
        [&](VkCommandBuffer cmd) {
          VkBufferCopy c{0, 0, bytes};
          vkCmdCopyBuffer(cmd, src, deviceLocal.buffer(), 1, &c);
        },
        waits);
  };
  auto zeroCopy = [&](int i) {
    sharedView.copy_(makeFrame(xy, i));
    shared->torchWritesDone();
    copyInto(shared->buffer(), {shared->vulkanWait()});
  };
  auto stagingCopy = [&](int i) {
    torch::Tensor own = makeFrame(xy, i);
    stagingView.copy_(own);  // device -> host (synchronous)
    copyInto(staging.buffer(), {});
  };
  auto produceOnly = [&](int i) {
    sharedView.copy_(makeFrame(xy, i));
    torch::cuda::synchronize();
  };
  for (int i = 0; i < 20; ++i) zeroCopy(i), stagingCopy(i), produceOnly(i);  // warm-up
  const int reps = 200;
  // Interleaved rounds, so drift (clocks, other load) hits both paths alike.
  std::vector<double> z, s, p;
  for (int round = 0; round < 4; ++round) {
    auto a = timesMs(zeroCopy, reps / 4), b = timesMs(stagingCopy, reps / 4), c = timesMs(produceOnly, reps / 4);
    z.insert(z.end(), a.begin(), a.end());
    s.insert(s.end(), b.begin(), b.end());
    p.insert(p.end(), c.begin(), c.end());
  }
  std::sort(z.begin(), z.end());
  std::sort(s.begin(), s.end());
  std::sort(p.begin(), p.end());
  // Correctness of both paths: the device-local buffer holds the last frame either way.
  nlohmann::json j;
  j["device"] = ctx.deviceName();
  j["cuda_device"] = info.name;
  j["commit"] = bench::commit();
  j["threads"] = {{"torch_intra_op", at::get_num_threads()}, {"hardware", bench::hardwareThreads()}};
  j["machine_load_average_1min"] = loadAtStart;
  j["frame"] = "1920x1080 RGBA8 (8.3 MB)";
  j["frames_per_path"] = reps;
  j["produce_frame_on_cuda_ms_median"] = median(p);
  j["zero_copy_frame_ms_median"] = median(z);
  j["zero_copy_frame_ms_p95"] = z[z.size() * 95 / 100];
  j["staging_copy_frame_ms_median"] = median(s);
  j["staging_copy_frame_ms_p95"] = s[s.size() * 95 / 100];
  j["staging_over_zero_copy_ratio"] = median(s) / median(z);
  j["validation_errors"] = ctx.validationErrors();
  const std::string text = j.dump(2) + "\n";
  std::fputs(text.c_str(), stdout);
  if (argc > 1) writeBytesAtomically(argv[1], text);
  return ctx.validationErrors() == 0 ? 0 : 1;
}
