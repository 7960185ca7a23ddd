#include "app/domains/nerf/cli/nerf_video.h"

#include <cmath>
#include <stdexcept>

#include "app/domains/nerf/cli/nerf_camera.h"

namespace fieldscope {

int TurntableSettings::frames() const { return std::max(1, int(std::lround(seconds * fps))); }

CameraFrame turntableCamera(const TurntableSettings& s, int frame) {
  OrbitCameraState c = s.start;
  c.azimuthDeg = float(double(s.start.azimuthDeg) + 360.0 * s.orbits * frame / s.frames());
  return OrbitCamera(c).frame();
}

ExportReport writeNerfVideo(const NerfPictureSource& source, int frames, const std::function<CameraFrame(int)>& camera,
                            int width, int height, int fps, NerfRenderMode mode, const std::filesystem::path& out,
                            const ExportControl& control) {
  Mp4Settings settings;
  settings.width = width;
  settings.height = height;
  settings.frameRate = {fps, 1};
  Rgba8Image current;
  auto cancelled = [&control] { return cancelRequested(control); };
  const FrameProvider provider = [&](int k) {
    std::optional<Rgba8Image> img =
        renderNerfPicture(source, camera(k), width, height, mode, {1, 1, 1}, cancelled);
    // A cancel inside a frame: hand over a blank frame; the writer sees the flag before the next one and drops the file.
    current = img ? std::move(*img) : Rgba8Image{width, height, std::vector<uint8_t>(size_t(width) * height * 4, 255)};
    return FrameView{current.pixels.data(), width, height, PixelLayout::Rgba8, 0};
  };
  return writeMp4(out, settings, frames, provider, control);
}

}  // namespace fieldscope
