#include "app/domains/nerf/nerf_exports.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "app/cli/mesh_flags.h"
#include "app/cli/output_name.h"
#include "app/domains/nerf/cli/nerf_mesh.h"
#include "model/geometry/mesh_stats.h"
#include "model/geometry/obj_writer.h"
#include "model/geometry/ply_writer.h"
#include "model/train/train_support.h"
#include "model/util/memory_budget.h"

namespace fieldscope {

namespace {

// Frames of a baked grid, camera(k) for frame k, into an MP4 on the export's thread.
NerfExportRun startVideoExport(std::shared_ptr<const NerfField> field, int frames, std::function<CameraFrame(int)> camera,
                               int fps, int width, int height, int gridN, NerfRenderMode mode, const std::string& path) {
  if (width < 16 || height < 16 || width > kMp4MaxLongSide || height > kMp4MaxLongSide)
    throw std::runtime_error("a video of " + std::to_string(width) + "x" + std::to_string(height) +
                             " pixels: each side must be 16 to " + std::to_string(kMp4MaxLongSide));
  if (lowerExtension(path) != ".mp4") throw std::runtime_error("cannot write '" + path + "': the video is an .mp4 file");
  checkWritable(path);
  refuseBeyondMemory(uint64_t(gridN) * gridN * gridN * 16 + uint64_t(width) * height * 4,
                     "a " + std::to_string(gridN) + "^3 grid for the video");
  auto progress = std::make_shared<ExportProgress>();
  progress->totalRows = frames + 1;  // one step for the bake
  std::thread t = startExportThread(progress, [=]() -> ExportOutcome {
    NerfPictureSource src{field.get(), bakeForPictures(*field, gridN, [&] { return progress->cancel.load(); }), 0.5};
    if (!src.grid.defined()) return {false, "export cancelled; " + path + " was not written"};
    progress->rowsDone = 1;
    ExportControl control;
    control.cancel = &progress->cancel;
    control.progress = [&](int done, int) { progress->rowsDone = 1 + done; };
    const ExportReport r = writeNerfVideo(src, frames, camera, width, height, fps, mode, path, control);
    if (r.cancelled) return {false, "export cancelled; " + path + " was not written"};
    char line[512];
    std::snprintf(line, sizeof line, "wrote %s: %d frames %dx%d at %d fps, %s", path.c_str(), r.framesWritten, r.width,
                  r.height, fps, r.codec.c_str());
    return {true, line};
  });
  return {progress, std::move(t)};
}

}  // namespace

NerfExportRun startTurntableExport(std::shared_ptr<const NerfField> field, const TurntableSettings& spin, int width,
                                   int height, int gridN, NerfRenderMode mode, const std::string& path) {
  return startVideoExport(std::move(field), spin.frames(), [spin](int k) { return turntableCamera(spin, k); }, spin.fps,
                          width, height, gridN, mode, path);
}

NerfExportRun startCameraPathExport(std::shared_ptr<const NerfField> field, const CameraPath& cameraPath, int fps, int width,
                                    int height, int gridN, NerfRenderMode mode, const std::string& path) {
  if (cameraPath.keyframes.size() < 2) throw std::runtime_error("a camera path needs two keyframes or more to make a video");
  const int frames = cameraPathFrames(cameraPath, fps, "the camera path of the NeRF panel");
  const double t0 = cameraPath.keyframes.front().time;
  return startVideoExport(std::move(field), frames, [cameraPath, t0, fps](int k) { return cameraPath.at(t0 + double(k) / fps); },
                          fps, width, height, gridN, mode, path);
}

NerfExportRun startNerfMeshExport(std::shared_ptr<const NerfField> field, int n, double density, const std::string& path) {
  checkMeshExtension(path);
  if (n < 8 || n > 1024) throw std::runtime_error("mesh resolution " + std::to_string(n) + " is outside 8..1024");
  if (!(density > 0)) throw std::runtime_error("the surface density must be positive");
  checkWritable(path);
  refuseBeyondMemory(nerfMeshBytes(n), "a " + std::to_string(n) + "^3 mesh");
  auto progress = std::make_shared<ExportProgress>();
  progress->totalRows = 2000;  // bake, then the cells
  std::thread t = startExportThread(progress, [=]() -> ExportOutcome {
    std::optional<Mesh> mesh = nerfDensityMesh(
        *field, n, density, &progress->cancel, [&](int64_t d, int64_t total) { progress->rowsDone = int(1000 * d / total); },
        [&](double f) { progress->rowsDone = 1000 + int(1000 * f); });
    if (!mesh || progress->cancel) return {false, "export cancelled; " + path + " was not written"};
    if (mesh->triangles.empty())
      return {false, "the scene's density never reaches " + std::to_string(density) + "; " + path + " was not written"};
    if (lowerExtension(path) == ".ply") writePly(path, *mesh);
    else writeObj(path, *mesh);
    char line[512];
    std::snprintf(line, sizeof line, "wrote %s: %zu vertices, %zu triangles (grid %d^3, density %g)", path.c_str(),
                  mesh->positions.size(), mesh->triangles.size(), n, density);
    return {true, line};
  });
  return {progress, std::move(t)};
}

}  // namespace fieldscope
