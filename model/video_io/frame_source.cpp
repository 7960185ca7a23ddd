#include "model/video_io/frame_source.h"

#include <stdexcept>

namespace fieldscope {

void checkFrame(const FrameView& frame, int expectedWidth, int expectedHeight, int frameIndex,
                const std::string& what) {
  const std::string where = "frame " + std::to_string(frameIndex) + " for '" + what + "'";
  if (!frame.pixels) throw std::runtime_error(where + " has no pixels");
  if (frame.width != expectedWidth || frame.height != expectedHeight)
    throw std::runtime_error(where + " is " + std::to_string(frame.width) + "x" + std::to_string(frame.height) +
                             ", expected " + std::to_string(expectedWidth) + "x" + std::to_string(expectedHeight));
  if (frame.stride() < static_cast<size_t>(frame.width) * frame.channels())
    throw std::runtime_error(where + " has a row stride shorter than a row");
}

bool cancelRequested(const ExportControl& control) {
  return control.cancel && control.cancel->load(std::memory_order_relaxed);
}

}  // namespace fieldscope
