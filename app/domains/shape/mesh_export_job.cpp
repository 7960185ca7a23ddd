#include "app/domains/shape/mesh_export_job.h"

#include <stdexcept>
#include <thread>

#include "app/domains/shape/cli/mesh_export.h"
#include "model/shape/shape_mesh.h"
#include "model/train/train_support.h"
#include "model/util/memory_budget.h"

namespace fieldscope {

MeshExportRun startMeshExport(std::shared_ptr<ShapeSession> session, const ShapeSpec& spec,
                                                int resolution, double isoProbability, const std::string& path) {
  checkMeshExtension(path);
  if (resolution < 8 || resolution > 1024)
    throw std::runtime_error("mesh resolution " + std::to_string(resolution) + " is outside 8..1024");
  if (!(isoProbability > 0 && isoProbability < 1)) throw std::runtime_error("the iso-level is not in (0, 1)");
  checkWritable(path);  // before the work, not after it
  refuseBeyondMemory(planeMeshBytes(resolution), "a " + std::to_string(resolution) + "^3 mesh");
  auto progress = std::make_shared<ExportProgress>();
  progress->totalRows = 1000;
  std::thread worker = startExportThread(progress, [session, spec, resolution, isoProbability, path, progress]() -> ExportOutcome {
    auto fields = session->fields(spec, &progress->cancel, {});
    std::optional<Mesh> mesh;
    if (fields) {
      ShapeMeshOptions o;
      o.resolution = resolution;
      o.isoProbability = isoProbability;
      o.cancel = &progress->cancel;
      o.progress = [&](double f) { progress->rowsDone = int(f * 1000); };
      mesh = session->withModel([&](ShapeModel& m) { return shapeMesh(m, *fields, o); });
    }
    if (!mesh || progress->cancel) return {false, "export cancelled; " + path + " was not written"};
    return {true, writeShapeMesh(path, *mesh, resolution, isoProbability)};
  });
  return {progress, std::move(worker)};
}

}  // namespace fieldscope
