#include "model/shape/volumetric_iou.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "model/geometry/obj_reader.h"
#include "model/shape_data/procedural_shapes.h"
#include "model/shape_data/shape_random.h"
#include "model/shape_data/shape_samples.h"
#include "model/shape_data/solid_mesh.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

ShapeSampleOptions uniformOnly(int surfacePoints, int uniformPoints, int threads) {
  ShapeSampleOptions o;
  o.surfacePoints = surfacePoints;
  o.queryPoints = uniformPoints;
  o.uniformFraction = 1.0;  // the protocol: every point uniform in the box
  o.threads = threads;
  return o;
}

LabelledShape fromRecord(std::string name, const ShapeRecord& r) {
  auto tensor = [](const std::vector<float>& v, int64_t rows, int64_t cols) {
    return torch::from_blob(const_cast<float*>(v.data()), {rows, cols}, torch::kFloat32).clone();
  };
  LabelledShape s;
  s.name = std::move(name);
  s.surface = tensor(r.surface, static_cast<int64_t>(r.surfaceCount()), 3);
  s.points = tensor(r.queries, static_cast<int64_t>(r.queryCount()), 3);
  s.labels = torch::from_blob(const_cast<std::uint8_t*>(r.labels.data()), {static_cast<int64_t>(r.labels.size())},
                              torch::kUInt8)
                 .to(torch::kFloat32);
  return s;
}

}  // namespace

std::vector<LabelledShape> proceduralHeldOutShapes(int count, std::uint64_t seed, int surfacePoints, int uniformPoints,
                                                   int meshResolution, const WorkProgress& progress) {
  std::vector<LabelledShape> out;
  for (int k = 0; k < count; ++k) {
    const std::uint64_t index = 10 * static_cast<std::uint64_t>(k) + 9;
    ProceduralShape shape = makeSetShape(seed, index);
    std::optional<SolidMesh> mesh = meshSolid(shape.solid, {meshResolution, nullptr});
    if (!mesh) throw std::runtime_error("procedural shape " + std::to_string(index) + " could not be meshed");
    const auto record = sampleSolidShape(mesh->mesh, mesh->solid, uniformOnly(surfacePoints, uniformPoints, 1),
                                         ShapeRandom::streamSeed(seed, index));
    out.push_back(fromRecord(shape.family + " #" + std::to_string(index), *record));
    reportProgress(progress, k + 1, count);
  }
  return out;
}

std::vector<LabelledShape> folderHeldOutShapes(const fs::path& dir, int maxCount, int surfacePoints, int uniformPoints,
                                               int threads, const WorkProgress& progress) {
  const fs::path test = dir / "test";
  std::error_code ec;
  if (!fs::is_directory(test, ec))
    throw std::runtime_error("'" + test.string() + "': no such folder (expected a dataset from `fieldscope data shapes`)");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(test, ec))
    if (e.path().extension() == ".obj") files.push_back(e.path());
  if (files.empty()) throw std::runtime_error("'" + test.string() + "': no held-out .obj meshes in it");
  std::sort(files.begin(), files.end());
  if (maxCount > 0 && static_cast<int>(files.size()) > maxCount) files.resize(maxCount);
  std::vector<LabelledShape> out;
  for (std::size_t i = 0; i < files.size(); ++i) {
    ObjReadOptions read;
    read.normaliseToUnitCube = true;  // the set's meshes are already in this frame; a user's may not be
    Mesh mesh = readObj(files[i], read).mesh;
    turnOutward(mesh);
    const auto record = sampleMeshShape(mesh, uniformOnly(surfacePoints, uniformPoints, threads),
                                        ShapeRandom::streamSeed(0x5EED, i));
    out.push_back(fromRecord(files[i].stem().string(), *record));
    reportProgress(progress, static_cast<int64_t>(i + 1), static_cast<int64_t>(files.size()));
  }
  return out;
}

ShapeReconstruction reconstructionIoU(ShapeVae& vae, const std::vector<LabelledShape>& shapes,
                                      const WorkProgress& progress) {
  torch::NoGradGuard ng;
  const bool wasTraining = vae->is_training();
  vae->eval();
  ShapeReconstruction r;
  for (const LabelledShape& s : shapes) {
    const int64_t T = std::min<int64_t>(vae->config().pointCount, s.surface.size(0));
    auto fields = vae->decodeFields(vae->encode(s.surface.narrow(0, 0, T).unsqueeze(0)).mean);
    std::vector<torch::Tensor> logits;
    for (int64_t i = 0; i < s.points.size(0); i += 16384)
      logits.push_back(vae->occupancy(fields, s.points.narrow(0, i, std::min<int64_t>(16384, s.points.size(0) - i)).unsqueeze(0)));
    r.perShape.push_back(occupancyIoU(torch::cat(logits, 1), s.labels.unsqueeze(0))[0].item<double>());
    reportProgress(progress, static_cast<int64_t>(r.perShape.size()), static_cast<int64_t>(shapes.size()));
  }
  double sum = 0;
  for (double v : r.perShape) sum += v;
  if (!r.perShape.empty()) r.meanIoU = sum / r.perShape.size();
  if (wasTraining) vae->train();
  return r;
}

}  // namespace fieldscope
