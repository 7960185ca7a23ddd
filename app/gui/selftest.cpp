// `fieldscope selftest`: torch writes a known pattern into shared memory, Vulkan composes it
// into the viewport, the read-back must equal the pattern exactly (nearest sampling), both
// through the tile atlas and through the exact-view layer.
#include <chrono>
#include <cstdio>
#include <thread>

#include "app/gui/device_choice.h"
#include "app/gui/headless_viewer.h"
#include "app/gui/pattern_source.h"
#include "app/gui_entry.h"
#include "cuda_interop/shared_tensor.h"
#include "model/util/compute_options.h"

namespace fieldscope {

int runSelftest(const SelftestOptions& options) {
  if (options.window) {
    GuiOptions g;
    g.patternTest = true;
    g.gpuIndex = options.gpuIndex;
    g.device = options.device;
    return runGui(g, {});  // no domains: the pattern is all it shows
  }
  HeadlessViewer viewer(options.gpuIndex, cudaDeviceIndex(parseComputeOptions(options.device, "fp32")));
  viewer.pyramid().setSource(makePatternSource());
  viewer.setNearest(true);
  constexpr int W = 600, H = 400;
  constexpr int64_t tx0 = 17, ty0 = 5;  // not on a tile boundary: exercises the tile table
  const View2D view = alignedPatternView(W, H, tx0, ty0);

  // 1. Tiles only (a moving view never asks for the exact layer).
  std::vector<uint8_t> pixels;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  do {
    pixels = viewer.renderFrame(view, /*still=*/false);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  } while (!viewer.pyramid().tilesComplete() && std::chrono::steady_clock::now() < deadline);
  pixels = viewer.renderFrame(view, false);
  const int64_t tileBad = countPatternMismatches(pixels.data(), W, H, W * 4, tx0, ty0);

  // 2. The exact view of the still viewport.
  bool converged = false;
  pixels = viewer.renderConverged(view, 60.0, &converged);
  const int64_t exactBad = countPatternMismatches(pixels.data(), W, H, W * 4, tx0, ty0);

  const int errors = viewer.context().validationErrors();
  std::printf("selftest: device %s, SharedTensor backend %s\n", viewer.context().deviceName().c_str(),
              sharedBackendName(viewer.pyramid().atlas().backend()));
  std::printf("selftest: tile atlas -> viewport: %lld of %d pixels differ from the pattern\n", (long long)tileBad, W * H);
  std::printf("selftest: exact view -> viewport: %lld of %d pixels differ%s\n", (long long)exactBad, W * H,
              converged ? "" : " (did not converge)");
  std::printf("selftest: validation %s, errors: %d\n", viewer.context().validationEnabled() ? "on" : "off", errors);
  const bool ok = tileBad == 0 && exactBad == 0 && converged && errors == 0;
  std::printf("selftest: %s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}

}  // namespace fieldscope
