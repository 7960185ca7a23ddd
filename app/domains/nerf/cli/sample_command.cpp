// fieldscope sample --model SCENE.fsm (a fitted scene) or MODEL.fsm [--seed N] [--steps S] (a generative one)
//   -o view.png [--camera AZ,EL,DIST] [--size WxH] [--mode colour|depth|opacity] [--render exact|baked]
//   -o spin.mp4 --turntable SECONDS [--orbits N] [--fps F] [--camera AZ,EL,DIST] [--size WxH]
//   -o path.mp4 --camera-path PATH.json [--fps F] [--size WxH]
//   -o scene.obj|ply [--grid 256] [--density 10]
// (docs/architecture.md "The NeRF domain")
#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <atomic>
#include <cmath>
#include <cstdio>

#include "app/cli/camera_flag.h"
#include "app/cli/command_registry.h"
#include "app/cli/compute_flags.h"
#include "app/cli/long_run.h"
#include "app/cli/mesh_flags.h"
#include "app/cli/output_name.h"
#include "app/cli/size_flag.h"
#include "app/domains/nerf/cli/camera_path.h"
#include "app/domains/nerf/cli/nerf_camera.h"
#include "app/domains/nerf/cli/nerf_commands.h"
#include "app/domains/nerf/cli/nerf_mesh.h"
#include "app/domains/nerf/cli/nerf_picture.h"
#include "app/domains/nerf/cli/nerf_video.h"
#include "model/geometry/mesh_stats.h"
#include "model/geometry/obj_writer.h"
#include "model/geometry/ply_writer.h"
#include "model/nerf/nerf_scene_model.h"
#include "model/train/train_support.h"
#include "model/util/memory_budget.h"

namespace fieldscope {
namespace {

double parseNumber(const std::string& text, const std::string& flag, double lo, double hi, double fallback,
                   const std::string& what) {
  if (text.empty()) return fallback;
  size_t used = 0;
  double v = NAN;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !(v >= lo && v <= hi)) throw std::runtime_error(flag + " '" + text + "': " + what);
  return v;
}

int wholeNumber(const std::string& text, const std::string& flag, int lo, int hi, int fallback, const std::string& what) {
  const double v = parseNumber(text, flag, lo, hi, fallback, what);
  if (std::floor(v) != v) throw std::runtime_error(flag + " '" + text + "': " + what);
  return int(v);
}

// The baked grid and one picture must fit in memory (checked before the bake).
void refuseBakeBeyondMemory(int n, int width, int height) {
  refuseBeyondMemory(uint64_t(n) * n * n * 16 + uint64_t(width) * height * 4, "a " + std::to_string(n) + "^3 baked grid");
}

struct NerfSampleFlags {
  std::shared_ptr<std::string> camera, mode, render, turntable, orbits, fps, cameraPath, grid, density;
};

// The baked grid the `baked` renders and the videos march.
torch::Tensor bakeForRendering(const NerfField& field, int n, LongRun& run) {
  return bakeForPictures(field, n, run.cancelled(), run.progress("slabs baked"));
}

void writeView(const NerfField& field, const NerfSampleFlags& f, const SampleCommon& common, const std::filesystem::path& out) {
  const OrbitCameraState cam = parseCameraFlag(*f.camera, nerfHomeCamera());
  const auto [w, h] = parseSizeFlag(common.size, 800, 800);
  const NerfRenderMode mode = parseNerfRenderMode(*f.mode);
  const bool baked = *f.render == "baked";
  if (!f.render->empty() && !baked && *f.render != "exact")
    throw std::runtime_error("--render '" + *f.render + "': exact (through the MLP) or baked (the viewer's grid)");
  checkWritable(out);
  const int n = parseMeshResolution(*f.grid, 256);
  if (baked) refuseBakeBeyondMemory(n, w, h);
  LongRun run("rows");
  NerfPictureSource src{&field, {}, 0.5};
  if (baked) {
    src.grid = bakeForRendering(field, n, run);
    if (!src.grid.defined()) return run.finish(true, out.string());
  }
  const std::optional<Rgba8Image> img =
      renderNerfPicture(src, OrbitCamera(cam).frame(), w, h, mode, {1, 1, 1}, run.cancelled(), run.progress("rows"));
  if (!img) return run.finish(true, out.string());
  writePng(out, *img);
  run.finish(false, out.string());
  std::printf("wrote %s: %dx%d %s view (%s) from az %.1f el %.1f dist %.2f\n", out.c_str(), w, h,
              f.mode->empty() ? "colour" : f.mode->c_str(), baked ? "baked grid" : "exact", cam.azimuthDeg, cam.elevationDeg,
              cam.distance);
}

void writeVideo(const NerfField& field, const NerfSampleFlags& f, const SampleCommon& common, const std::filesystem::path& out) {
  const auto [w, h] = parseSizeFlag(common.size, 640, 480);
  const int fps = wholeNumber(*f.fps, "--fps", 1, 120, 30, "frames per second, a whole number from 1 to 120");
  const NerfRenderMode mode = parseNerfRenderMode(*f.mode);
  int frames = 0;
  std::function<CameraFrame(int)> camera;
  CameraPath path;
  TurntableSettings spin;
  if (!f.cameraPath->empty()) {
    if (!f.turntable->empty()) throw std::runtime_error("--turntable and --camera-path: give one of them");
    path = readCameraPath(*f.cameraPath);
    frames = cameraPathFrames(path, fps, "the camera path '" + *f.cameraPath + "'");
    const double t0 = path.keyframes.front().time;
    camera = [&path, t0, fps](int k) { return path.at(t0 + double(k) / fps); };
  } else {
    spin.seconds = parseNumber(*f.turntable, "--turntable", 0.1, 600, 4, "seconds of the turntable, 0.1 to 600");
    spin.orbits = wholeNumber(*f.orbits, "--orbits", 1, 100, 1, "a whole number of turns, 1 to 100");
    spin.fps = fps;
    spin.start = parseCameraFlag(*f.camera, nerfHomeCamera());
    frames = spin.frames();
    camera = [&spin](int k) { return turntableCamera(spin, k); };
  }
  if (!f.render->empty() && *f.render != "baked" && *f.render != "exact")
    throw std::runtime_error("--render '" + *f.render + "': exact (through the MLP) or baked (the viewer's grid)");
  if (w > kMp4MaxLongSide || h > kMp4MaxLongSide)
    throw std::runtime_error("--size " + std::to_string(w) + "x" + std::to_string(h) + ": an MP4 is at most " +
                             std::to_string(kMp4MaxLongSide) + " pixels a side");
  checkWritable(out);
  const int n = parseMeshResolution(*f.grid, 192);
  const bool baked = *f.render != "exact";  // videos march the baked grid unless told otherwise
  if (baked) refuseBakeBeyondMemory(n, w, h);
  LongRun run("frames");
  NerfPictureSource src{&field, {}, 0.5};
  if (baked) {
    src.grid = bakeForRendering(field, n, run);
    if (!src.grid.defined()) return run.finish(true, out.string());
  }
  std::atomic<bool> cancel{false};
  const auto stop = run.cancelled();
  const WorkProgress progress = run.progress("frames");
  ExportControl control;
  control.cancel = &cancel;
  control.progress = [&](int done, int total) {
    if (stop()) cancel = true;
    progress(done, total);
  };
  const ExportReport r = writeNerfVideo(src, frames, camera, w, h, fps, mode, out, control);
  run.finish(r.cancelled, out.string());
  std::printf("wrote %s: %d frames %dx%d at %d fps, %s (%s)\n", out.c_str(), r.framesWritten, r.width, r.height, fps,
              r.codec.c_str(), src.grid.defined() ? "baked grid" : "exact");
  for (const std::string& n : r.notes) std::printf("note: %s\n", n.c_str());
}

void writeMesh(const NerfField& field, const NerfSampleFlags& f, const std::filesystem::path& out) {
  const int n = parseMeshResolution(*f.grid, 256);
  const double density = parseNumber(*f.density, "--density", 1e-3, 1e6, 10, "the density of the surface, per unit (e.g. 10)");
  checkMeshExtension(out);
  checkWritable(out);
  refuseBeyondMemory(nerfMeshBytes(n), "a " + std::to_string(n) + "^3 mesh");
  LongRun run("slabs");
  std::atomic<bool> cancel{false};
  const auto stop = run.cancelled();
  const WorkProgress bake = run.progress("slabs baked");
  const WorkProgress cells = run.progress("cells (permille)");
  std::optional<Mesh> mesh = nerfDensityMesh(
      field, n, density, &cancel,
      [&](int64_t d, int64_t t) {
        if (stop()) cancel = true;
        bake(d, t);
      },
      [&](double frac) {
        if (stop()) cancel = true;
        cells(int64_t(frac * 1000), 1000);
      });
  if (!mesh) return run.finish(true, out.string());
  if (mesh->triangles.empty())
    throw std::runtime_error("the scene's density never reaches " + std::to_string(density) + " on a " + std::to_string(n) +
                             "^3 grid; '" + out.string() + "' was not written -- try a lower --density");
  if (lowerExtension(out) == ".ply") writePly(out, *mesh);
  else writeObj(out, *mesh);
  run.finish(false, out.string());
  const MeshStats s = computeMeshStats(*mesh);
  std::printf("wrote %s: %zu vertices, %zu triangles, %s, coloured (grid %d^3, density %g)\n", out.c_str(),
              mesh->positions.size(), mesh->triangles.size(), s.closedManifold() ? "closed 2-manifold" : "NOT closed", n,
              density);
}

}  // namespace

void registerNerfSampleCommand(CommandRegistry& registry) {
  NerfSampleFlags f;
  f.camera = registry.sampleOption("--camera", "shape, -o view.png: AZ,EL,DIST of the orbit camera (default 30,20,1.8)");
  f.mode = registry.sampleOption("--mode", "nerf: colour, depth or opacity");
  f.render = registry.sampleOption("--render", "nerf: exact (through the MLP; pictures' default) or baked (the viewer's grid; videos' default)");
  f.turntable = registry.sampleOption("--turntable", "nerf, -o NAME.mp4: SECONDS of a turntable (frames = seconds x fps)");
  f.orbits = registry.sampleOption("--orbits", "nerf: turns of the turntable (default 1)");
  f.fps = registry.sampleOption("--fps", "video, nerf: frames per second of the MP4");
  f.cameraPath = registry.sampleOption("--camera-path", "nerf, -o NAME.mp4: a camera path JSON (keyframes) to render");
  f.grid = registry.sampleOption("--grid", "image: contact sheet CxR of seeds; shape: mesh grid resolution N (default 128)");
  f.density = registry.sampleOption("--density", "nerf, -o NAME.obj|ply: the density of the surface (default 10)");
  const SampleCommon& common = registry.sampleCommon();
  registry.onSample("nerf", [&common, f] {
    const std::filesystem::path out = common.out;
    const std::string ext = lowerExtension(out);
    setTorchThreads(common.threads);
    const NerfField field = nerfFieldOfFile(common.model, common.seed, common.steps);
    if (ext == ".png") writeView(field, f, common, out);
    else if (ext == ".mp4") writeVideo(field, f, common, out);
    else if (ext == ".obj" || ext == ".ply") writeMesh(field, f, out);
    else
      throw std::runtime_error("cannot write '" + out.string() + "': a NeRF scene is written as a view (.png), a video (.mp4) or a mesh (.obj, .ply)");
  });
}

}  // namespace fieldscope
