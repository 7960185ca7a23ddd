// What sharing memory saves: torch writing decoded tiles straight into the SharedTensor
// (host-mapped Vulkan memory) vs into its own tensor followed by a copy into a Vulkan
// staging buffer. Measured for the final write alone (quantise + store, the part sharing
// changes) and for a whole procedural tile decode. Writes JSON (argv[1], default stdout).
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

#include "bench/bench_support.h"
#include "cuda_interop/shared_tensor_torch.h"
#include "model/io/atomic_file.h"
#include "model/procedural/procedural_field.h"
#include "render/context.h"
#include "render/compositor.h"
#include "render/gpu_buffer.h"
#include "render/offscreen_image.h"

using namespace fieldscope;

template <class F>
double medianMs(F&& f, int reps) {
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f(i);
    t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

int main(int argc, char** argv) {
  const double loadAtStart = bench::loadAverage();
  torch::set_num_threads(2);
  torch::InferenceMode guard;
  ContextOptions o;
  o.quiet = true;
  VulkanContext ctx(o);
  constexpr int T = 256, kSlots = 64;
  auto atlas = SharedTensor::create(ctx.ref(), {kSlots, T, T, 4}, SharedScalar::UInt8);
  torch::Tensor shared = asTensor(*atlas);
  GpuBuffer staging(ctx, atlas->bytes(), VK_BUFFER_USAGE_TRANSFER_SRC_BIT, true);
  const size_t slotBytes = size_t(T) * T * 4;
  const auto rgb = proceduralFieldRgb(0.2, 0.2, 0.3, 0.3, T, T);  // a decoded tile, float

  // 1. The write alone.
  const int reps = 400;
  const double writeShared = medianMs([&](int i) { writeRgba8(rgb, shared[i % kSlots]); }, reps);
  torch::Tensor own = torch::empty({T, T, 4}, torch::kUInt8);
  const double writeCopy = medianMs(
      [&](int i) {
        writeRgba8(rgb, own);
        std::memcpy(static_cast<uint8_t*>(staging.mapped()) + (i % kSlots) * slotBytes, own.data_ptr(), slotBytes);
      },
      reps);
  // 2. A whole tile decode (procedural field, 256^2).
  const int decodeReps = 40;
  auto regionOf = [](int i) { return 0.01 * (i % 50); };
  const double decodeShared = medianMs(
      [&](int i) { proceduralFieldRegion(regionOf(i), 0.1, regionOf(i) + 0.05, 0.15, T, T, shared[i % kSlots]); },
      decodeReps);
  const double decodeCopy = medianMs(
      [&](int i) {
        torch::Tensor t = torch::empty({T, T, 4}, torch::kUInt8);
        proceduralFieldRegion(regionOf(i), 0.1, regionOf(i) + 0.05, 0.15, T, T, t);
        std::memcpy(static_cast<uint8_t*>(staging.mapped()) + (i % kSlots) * slotBytes, t.data_ptr(), slotBytes);
      },
      decodeReps);

  // 3. The compositor pass alone at 1280x720, wall time of submit + wait (lavapipe runs on
  // the CPU, so its timestamp queries do not bracket the real work), minus an empty submit.
  GpuBuffer exact(ctx, 1280 * 720 * 4, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, true);
  Compositor compositor(ctx, atlas->buffer(), atlas->bytes(), T, exact.buffer(), exact.size());
  OffscreenImage target(ctx, 1280, 720);
  View2D view;
  view.setViewport(1280, 720);
  view.reset();
  view.zoomAbout(500, 300, 3.3);  // between pyramid levels: bilinear upscaling of tiles
  ComposeParams params;
  params.tiles = visibleTiles(view, T, 20);
  for (int i = 0; i < params.tiles.cols * params.tiles.rows; ++i) params.table.push_back({i % kSlots, i % 3, 0, 0});
  ctx.submitAndWait([&](VkCommandBuffer cmd) { compositor.record(cmd, target, params, 0); });  // shader compile
  const double emptySubmit = medianMs([&](int) { ctx.submitAndWait([](VkCommandBuffer) {}); }, 50);
  const double composeTiles =
      medianMs([&](int) { ctx.submitAndWait([&](VkCommandBuffer cmd) { compositor.record(cmd, target, params, 0); }); }, 50);
  params.nearest = true;
  const double composeNearest =
      medianMs([&](int) { ctx.submitAndWait([&](VkCommandBuffer cmd) { compositor.record(cmd, target, params, 0); }); }, 50);
  params.nearest = false;
  params.exactRows = 720;
  params.exactStride = 1280;
  const double composeExact =
      medianMs([&](int) { ctx.submitAndWait([&](VkCommandBuffer cmd) { compositor.record(cmd, target, params, 0); }); }, 50);

  nlohmann::json j;
  j["compositor_pass_1280x720_tiles_bilinear_ms"] = composeTiles - emptySubmit;
  j["compositor_pass_1280x720_tiles_nearest_ms"] = composeNearest - emptySubmit;
  j["compositor_pass_1280x720_exact_layer_ms"] = composeExact - emptySubmit;
  j["empty_submit_ms"] = emptySubmit;
  j["device"] = ctx.deviceName();
  j["commit"] = bench::commit();
  j["threads"] = {{"torch_intra_op", at::get_num_threads()}, {"hardware", bench::hardwareThreads()}};
  j["machine_load_average_1min"] = loadAtStart;
  j["machine_load_average_1min_at_end"] = bench::loadAverage();
  j["tile"] = "256x256 RGBA8";
  j["write_into_shared_tensor_ms"] = writeShared;
  j["write_into_tensor_then_staging_copy_ms"] = writeCopy;
  j["write_copy_over_shared_ratio"] = writeCopy / writeShared;
  j["decode_into_shared_tensor_ms"] = decodeShared;
  j["decode_into_tensor_then_staging_copy_ms"] = decodeCopy;
  j["decode_copy_over_shared_ratio"] = decodeCopy / decodeShared;
  j["tile_decode_throughput_tiles_per_s"] = 1000.0 / decodeShared;
  const std::string text = j.dump(2) + "\n";
  std::fputs(text.c_str(), stdout);
  if (argc > 1) writeBytesAtomically(argv[1], text);
  return ctx.validationErrors() == 0 ? 0 : 1;
}
