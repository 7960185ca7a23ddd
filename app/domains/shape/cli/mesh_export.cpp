#include "app/domains/shape/cli/mesh_export.h"

#include <atomic>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "app/cli/mesh_flags.h"
#include "app/cli/output_name.h"
#include "model/geometry/mesh_stats.h"
#include "model/geometry/obj_writer.h"
#include "model/geometry/ply_writer.h"
#include "model/shape/shape_mesh.h"
#include "model/train/interrupt_guard.h"
#include "model/train/progress_line.h"
#include "model/train/train_support.h"
#include "model/util/memory_budget.h"

namespace fieldscope {

double parseIsoProbability(const std::string& text) {
  if (text.empty()) return 0.5;
  size_t used = 0;
  double v = NAN;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !(v > 0 && v < 1))
    throw std::runtime_error("--iso '" + text + "': the iso-level is an occupancy probability between 0 and 1 (e.g. 0.5)");
  return v;
}

std::string writeShapeMesh(const std::filesystem::path& out, const Mesh& mesh, int resolution, double iso) {
  if (mesh.triangles.empty())
    throw std::runtime_error("the shape has no surface at iso-level p=" + std::to_string(iso) +
                             " (nothing of the grid is on one side of it); '" + out.string() +
                             "' was not written -- try another iso-level");
  if (lowerExtension(out) == ".ply") writePly(out, mesh);
  else writeObj(out, mesh);
  const MeshStats s = computeMeshStats(mesh);
  char line[512];
  std::snprintf(line, sizeof line, "wrote %s: %zu vertices, %zu triangles, %s, volume %.4f (grid %d^3, iso p=%.3g)",
                out.c_str(), mesh.positions.size(), mesh.triangles.size(),
                s.closedManifold() ? "closed 2-manifold" : "NOT closed", s.volume, resolution, iso);
  return line;
}

void exportShapeMesh(ShapeModel& model, const TriplaneFields& fields, int resolution, double iso,
                     const std::filesystem::path& out) {
  checkMeshExtension(out);
  checkWritable(out);  // before the work, not after it
  refuseBeyondMemory(planeMeshBytes(resolution), "a " + std::to_string(resolution) + "^3 mesh");
  InterruptGuard interrupts(false);
  std::atomic<bool> cancel{false};
  ProgressLine line(1000, 0);
  ShapeMeshOptions o;
  o.resolution = resolution;
  o.isoProbability = iso;
  o.cancel = &cancel;
  o.progress = [&](double f) {
    if (interrupts.requested()) cancel = true;
    line.update(static_cast<int64_t>(f * 1000), "meshing " + std::to_string(resolution) + "^3");
  };
  auto mesh = shapeMesh(model, fields, o);
  line.finish();
  if (!mesh || interrupts.requested()) throw std::runtime_error("cancelled; '" + out.string() + "' was not written");
  std::printf("%s\n", writeShapeMesh(out, *mesh, resolution, iso).c_str());
}

}  // namespace fieldscope
