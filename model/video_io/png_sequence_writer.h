#pragma once
// Export as a numbered PNG sequence (frame_00000.png, frame_00001.png, …) for editors and
// compositors that prefer stills to a compressed video. Same frame interface as writeMp4.
// Each file is written atomically; when the export fails or is cancelled, every file written
// by this run is removed again (and the folder, if this run created it).
#include <filesystem>
#include <string>

#include "model/video_io/frame_source.h"

namespace fieldscope {

struct PngSequenceSettings {
  int width = 0;  // size of the frames the provider returns (PNG takes any size)
  int height = 0;
  std::string prefix = "frame_";
  int digits = 5;          // zero-padded frame number width
  bool keepAlpha = false;  // RGBA input: keep the alpha channel (else RGB PNGs)
};

// The file frame k is written to.
std::filesystem::path pngSequenceFramePath(const std::filesystem::path& folder, const PngSequenceSettings& settings,
                                           int frameIndex);

// Writes frameCount PNGs into `folder` (created if missing; its parent must exist). The folder
// is checked to be writable before the first frame is requested. Throws std::runtime_error
// naming the folder or file on failure; a cancel returns a report with cancelled = true.
ExportReport writePngSequence(const std::filesystem::path& folder, const PngSequenceSettings& settings, int frameCount,
                              const FrameProvider& frames, const ExportControl& control = {});

}  // namespace fieldscope
