#pragma once
// NeRF videos (docs/architecture.md "The NeRF domain"): a turntable (the orbit camera turning
// round the scene `orbits` times in `seconds`) or a camera path, every frame rendered like a
// picture (nerf_picture.h) and encoded by the one MP4 writer (model/video_io/mp4_writer.h):
// atomic, progress with an ETA, cancel between frames leaves no file.
#include <filesystem>
#include <functional>

#include "app/domains/nerf/cli/nerf_picture.h"
#include "model/video_io/mp4_writer.h"
#include "render/orbit_camera.h"

namespace fieldscope {

struct TurntableSettings {
  double seconds = 4;
  int orbits = 1;
  int fps = 30;
  OrbitCameraState start;  // azimuth where it starts, elevation, distance, fov
  int frames() const;       // seconds x fps, rounded, at least 1
};
// The camera of turntable frame k: the start camera turned by 360 orbits k / frames degrees.
CameraFrame turntableCamera(const TurntableSettings& s, int frame);

// Renders `frames` frames (frame k seen by camera(k), a view camera in +Y-up axes) and writes
// `out`. Throws naming the file.
ExportReport writeNerfVideo(const NerfPictureSource& source, int frames, const std::function<CameraFrame(int)>& camera,
                            int width, int height, int fps, NerfRenderMode mode, const std::filesystem::path& out,
                            const ExportControl& control);

}  // namespace fieldscope
