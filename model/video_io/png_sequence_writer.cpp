#include "model/video_io/png_sequence_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "model/io/atomic_file.h"
#include "model/io/png_encode.h"

namespace fieldscope {
namespace fs = std::filesystem;

namespace {

// Creates the folder when missing and proves it writable by creating (and removing) a file in
// it: permission bits alone say nothing for root or read-only mounts. Returns whether this
// call created the folder.
bool prepareFolder(const fs::path& folder) {
  std::error_code ec;
  bool created = false;
  if (!fs::exists(folder, ec)) {
    created = fs::create_directory(folder, ec);
    if (ec) throw std::runtime_error("cannot create the folder: " + ec.message());
  } else if (!fs::is_directory(folder, ec)) {
    throw std::runtime_error("it exists and is not a folder");
  }
  const fs::path probe = folder / (".fieldscope-write-probe-" + std::to_string(::getpid()));
  const int fd = ::open(probe.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0644);
  if (fd < 0) {
    const std::string why = std::strerror(errno);
    if (created) fs::remove(folder, ec);
    throw std::runtime_error("the folder is not writable: " + why);
  }
  ::close(fd);
  fs::remove(probe, ec);
  return created;
}

std::string encodePng(const FrameView& frame, bool keepAlpha) {
  const uint8_t* data = frame.pixels;
  int channels = frame.channels();
  int stride = static_cast<int>(frame.stride());
  std::vector<uint8_t> rgb;
  if (frame.layout == PixelLayout::Rgba8 && !keepAlpha) {
    // stb writes the channels it is given: drop alpha into a packed RGB copy.
    rgb.resize(static_cast<size_t>(frame.width) * frame.height * 3);
    for (int y = 0; y < frame.height; ++y) {
      const uint8_t* src = frame.pixels + static_cast<size_t>(y) * frame.stride();
      uint8_t* dst = rgb.data() + static_cast<size_t>(y) * frame.width * 3;
      for (int x = 0; x < frame.width; ++x)
        for (int c = 0; c < 3; ++c) dst[x * 3 + c] = src[x * 4 + c];
    }
    data = rgb.data();
    channels = 3;
    stride = frame.width * 3;
  }
  return encodePngBytes(frame.width, frame.height, channels, data, stride);
}

void removeFiles(const std::vector<fs::path>& files, const fs::path& folder, bool removeFolder) {
  std::error_code ec;
  for (const fs::path& f : files) fs::remove(f, ec);
  if (removeFolder) fs::remove(folder, ec);  // only succeeds if empty: never deletes others' files
}

}  // namespace

fs::path pngSequenceFramePath(const fs::path& folder, const PngSequenceSettings& settings, int frameIndex) {
  char number[32];
  std::snprintf(number, sizeof number, "%0*d", settings.digits, frameIndex);
  return folder / (settings.prefix + number + ".png");
}

ExportReport writePngSequence(const fs::path& folder, const PngSequenceSettings& settings, int frameCount,
                              const FrameProvider& frames, const ExportControl& control) {
  const std::string where = "cannot write the PNG sequence '" + folder.string() + "': ";
  if (frameCount <= 0) throw std::runtime_error(where + "no frames to export");
  if (settings.width <= 0 || settings.height <= 0) throw std::runtime_error(where + "frame size is not positive");
  if (settings.digits < 1 || settings.digits > 9) throw std::runtime_error(where + "digits must be 1..9");
  bool createdFolder = false;
  try {
    createdFolder = prepareFolder(folder);
  } catch (const std::exception& e) {
    throw std::runtime_error(where + e.what());
  }

  ExportReport report;
  report.width = settings.width;
  report.height = settings.height;
  report.codec = "png";
  std::vector<fs::path> written;
  try {
    for (int k = 0; k < frameCount; ++k) {
      if (cancelRequested(control)) {
        removeFiles(written, folder, createdFolder);
        report.cancelled = true;
        report.framesWritten = 0;
        return report;
      }
      const FrameView frame = frames(k);
      checkFrame(frame, settings.width, settings.height, k, folder.string());
      const fs::path file = pngSequenceFramePath(folder, settings, k);
      writeBytesAtomically(file, encodePng(frame, settings.keepAlpha));
      written.push_back(file);
      report.framesWritten = k + 1;
      if (control.progress) control.progress(k + 1, frameCount);  // each file is complete once written
    }
  } catch (const std::exception& e) {
    removeFiles(written, folder, createdFolder);
    throw std::runtime_error(where + e.what());
  }
  return report;
}

}  // namespace fieldscope
