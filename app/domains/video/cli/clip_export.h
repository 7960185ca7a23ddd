#pragma once
// A sampled clip written as the user asked (docs/architecture.md "The video domain"): an MP4
// (H.264 yuv420p, model/video_io/mp4_writer.h) or a PNG sequence at any size, frame rate and
// duration -- frame k of N is the field decoded at clip time k / (N - 1), so a 16-frame clip
// exported at 60 fps is smooth, not repeated frames -- or one PNG at one time. Used by
// `fieldscope sample` and by the viewer's export.
#include <filesystem>
#include <functional>

#include <torch/types.h>

#include "model/video_io/frame_source.h"

namespace fieldscope {

struct ClipExportRequest {
  std::filesystem::path out;  // NAME.mp4, a folder (PNG sequence), or NAME.png (one frame at `time`)
  int width = 256, height = 256;
  double fps = 30;
  double seconds = 2;
  double time = 0;  // NAME.png only
};

enum class ClipExportKind { Mp4, PngSequence, Png };
// From the output path: .mp4 / .png / anything else a folder. Throws for other video extensions.
ClipExportKind clipExportKind(const std::filesystem::path& out);
// round(fps * seconds), at least 2; throws for a non-positive rate or duration.
int clipExportFrames(double fps, double seconds);

// The frame at clip time t as height x width x 3 floats in [0, 1] (VideoModel::decodeFrame of
// the sample's fields, or the viewer's source).
using ClipFrameDecoder = std::function<torch::Tensor(double t, int width, int height)>;

ExportReport exportClip(const ClipFrameDecoder& decode, const ClipExportRequest& request,
                        const ExportControl& control = {});

}  // namespace fieldscope
