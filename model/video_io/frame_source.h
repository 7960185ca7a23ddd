#pragma once
// The frame interface shared by every video writer (MP4, PNG sequence): the caller renders
// frame k (for time t_k) when the writer asks for it. Pulling frames this way lets a writer
// wrap the whole export in one atomic write (temporary file + rename) and stop between frames
// when cancelled, without the caller having to know how the file is produced.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace fieldscope {

enum class PixelLayout { Rgba8, Rgb8 };

// One frame of 8-bit pixels, top row first, owned by the caller. It must stay valid until the
// provider is called again or the writer returns.
struct FrameView {
  const uint8_t* pixels = nullptr;
  int width = 0;
  int height = 0;
  PixelLayout layout = PixelLayout::Rgba8;
  size_t rowStride = 0;  // bytes per row; 0 means tightly packed (width * channels)

  int channels() const { return layout == PixelLayout::Rgba8 ? 4 : 3; }
  size_t stride() const { return rowStride ? rowStride : static_cast<size_t>(width) * channels(); }
};

// Called with k = 0, 1, …, frameCount-1, in order, exactly once each.
using FrameProvider = std::function<FrameView(int frameIndex)>;

struct ExportControl {
  // Polled before each frame; when it becomes true the export stops and leaves no file.
  const std::atomic<bool>* cancel = nullptr;
  // Called after each frame is rendered and handed to the writer (done = 1 … total-1), and
  // with done == total only once the file is complete (an encoder still holds its last frames
  // after the final one is handed over). The caller derives the ETA from it. Runs on the
  // exporting thread.
  std::function<void(int done, int total)> progress;
};

struct ExportReport {
  bool cancelled = false;
  int framesWritten = 0;
  int width = 0;   // size actually written (MP4: rounded to even)
  int height = 0;
  std::string codec;               // e.g. "h264 (libx264)", "mpeg4", "png"
  std::vector<std::string> notes;  // things the user should be told once (size rounded, fallback codec)
};

// Throws std::runtime_error naming `what` (the file being written) when the frame does not
// have the expected size or pixel data.
void checkFrame(const FrameView& frame, int expectedWidth, int expectedHeight, int frameIndex,
                const std::string& what);

bool cancelRequested(const ExportControl& control);

}  // namespace fieldscope
