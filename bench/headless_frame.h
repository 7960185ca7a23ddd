#pragma once
// One frame of a view drawn headless, as the viewer benchmarks time it: record the view's pass
// into an offscreen target, submit, and wait (frame numbers count up; the previous one is done).
// `still`: no input for a while (the app then asks for the exact view), the focus at the centre.
#include <cstdint>

#include "app/domain/domain_view.h"
#include "render/context.h"
#include "render/offscreen_image.h"

namespace fieldscope::bench {

template <class View>
void submitHeadlessFrame(VulkanContext& ctx, View& view, OffscreenImage& target, uint64_t number, bool still = false) {
  FrameContext f;
  f.still = still;
  f.focusX = target.width() / 2.0;
  f.focusY = target.height() / 2.0;
  f.target = &target;
  f.frame = number;
  f.completedFrame = number - 1;
  f.slot = int(number % kFramesInFlight);
  ctx.submitAndWait([&](VkCommandBuffer cmd) { f.cmd = cmd; view.record(f); }, view.waits());
}

}  // namespace fieldscope::bench
