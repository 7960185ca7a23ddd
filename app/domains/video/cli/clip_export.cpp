#include "app/domains/video/cli/clip_export.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

#include "app/cli/output_name.h"
#include "model/io/png_file.h"
#include "model/video_io/mp4_writer.h"
#include "model/video_io/png_sequence_writer.h"

namespace fieldscope {

namespace {

// A float frame H x W x 3 in [0, 1] -> RGB8 bytes.
std::vector<uint8_t> toRgb8(const torch::Tensor& frame) {
  auto u8 = (frame * 255).round().clamp(0, 255).to(torch::kUInt8).contiguous();
  return {u8.data_ptr<uint8_t>(), u8.data_ptr<uint8_t>() + u8.numel()};
}
}  // namespace

ClipExportKind clipExportKind(const std::filesystem::path& out) {
  const std::string what = "clips are written as .mp4 (H.264), as a folder of PNGs (a name ending in '/'), or one frame as .png";
  if (out.empty()) throw std::runtime_error("-o is empty: " + what);
  const std::string ext = lowerExtension(out);
  if (ext == ".mp4") return ClipExportKind::Mp4;
  if (ext == ".png") return ClipExportKind::Png;
  // A folder: one that exists, a name ending in '/', or a name without an extension. Anything
  // else (.jpg, .gif, .mov ...) is refused rather than made into a folder of that name.
  std::error_code ec;
  const std::string text = out.string();
  if (std::filesystem::is_directory(out, ec) || text.back() == '/' || ext.empty()) return ClipExportKind::PngSequence;
  throw std::runtime_error("'" + text + "': " + what);
}

int clipExportFrames(double fps, double seconds) {
  if (!(fps > 0 && fps <= 240)) throw std::runtime_error("--fps must be in (0, 240]");
  if (!(seconds > 0 && seconds <= 3600)) throw std::runtime_error("--seconds must be in (0, 3600]");
  return std::max(2, int(std::lround(fps * seconds)));
}

ExportReport exportClip(const ClipFrameDecoder& decode, const ClipExportRequest& r, const ExportControl& control) {
  const ClipExportKind kind = clipExportKind(r.out);
  if (r.width < 1 || r.height < 1 || r.width > 8192 || r.height > 8192)
    throw std::runtime_error("'" + r.out.string() + "': frame size must be 1..8192 a side");
  if (kind == ClipExportKind::Png) {
    if (!(r.time >= 0 && r.time <= 1)) throw std::runtime_error("--t must be in [0, 1] (0: first frame, 1: last)");
    const auto bytes = toRgb8(decode(r.time, r.width, r.height));
    Rgba8Image img{r.width, r.height, std::vector<uint8_t>(size_t(r.width) * r.height * 4, 255)};
    for (size_t i = 0; i < size_t(r.width) * r.height; ++i)
      for (int c = 0; c < 3; ++c) img.pixels[i * 4 + c] = bytes[i * 3 + c];
    writePng(r.out, img);
    ExportReport rep;
    rep.framesWritten = 1;
    rep.width = r.width;
    rep.height = r.height;
    rep.codec = "png";
    return rep;
  }
  const int n = clipExportFrames(r.fps, r.seconds);
  std::vector<uint8_t> current;
  const FrameProvider frames = [&](int k) {
    current = toRgb8(decode(double(k) / double(n - 1), r.width, r.height));
    FrameView v;
    v.pixels = current.data();
    v.width = r.width;
    v.height = r.height;
    v.layout = PixelLayout::Rgb8;
    return v;
  };
  if (kind == ClipExportKind::Mp4) {
    Mp4Settings s;
    s.width = r.width;
    s.height = r.height;
    // The rate as a fraction: 30 -> 30/1, 29.97 -> 30000/1001, 12.5 -> 12500/1000.
    if (std::abs(r.fps - std::round(r.fps)) < 1e-9) s.frameRate = {int(std::lround(r.fps)), 1};
    else if (std::abs(r.fps * 1.001 - std::round(r.fps * 1.001)) < 1e-6) s.frameRate = {int(std::lround(r.fps * 1001)), 1001};
    else s.frameRate = {int(std::lround(r.fps * 1000)), 1000};
    return writeMp4(r.out, s, n, frames, control);
  }
  PngSequenceSettings s;
  s.width = r.width;
  s.height = r.height;
  return writePngSequence(r.out, s, n, frames, control);
}

}  // namespace fieldscope
