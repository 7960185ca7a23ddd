#pragma once
// The NeRF viewer's long exports on threads of their own (docs/architecture.md "The NeRF
// domain"): the turntable MP4 (the same renderer and encoder as `sample --turntable`: the baked
// grid marched as the viewer does, frames encoded as they come), a camera path's MP4, and the coloured density mesh (OBJ/PLY).
// Progress with an ETA, cancel (nothing written), atomic files.
#include <memory>
#include <string>
#include <thread>

#include "app/domains/nerf/cli/camera_path.h"
#include "app/domains/nerf/cli/nerf_video.h"
#include "app/gui/export_job.h"
#include "model/nerf/nerf_field.h"

namespace fieldscope {

struct NerfExportRun {
  std::shared_ptr<ExportProgress> progress;  // message "wrote ..." or the error when finished
  std::thread thread;                        // the owner cancels (progress->cancel) and joins it
};

// Throws std::runtime_error at once for a bad size or an unwritable path.
NerfExportRun startTurntableExport(std::shared_ptr<const NerfField> field, const TurntableSettings& spin, int width,
                                   int height, int gridN, NerfRenderMode mode, const std::string& path);
// A camera path (nerf_camera path keyframes in the view's axes) rendered at `fps`.
NerfExportRun startCameraPathExport(std::shared_ptr<const NerfField> field, const CameraPath& cameraPath, int fps, int width,
                                    int height, int gridN, NerfRenderMode mode, const std::string& out);
NerfExportRun startNerfMeshExport(std::shared_ptr<const NerfField> field, int n, double density, const std::string& path);

}  // namespace fieldscope
