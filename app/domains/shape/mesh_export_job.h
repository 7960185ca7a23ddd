#pragma once
// The viewer's OBJ/PLY export (docs/architecture.md "The shape domain"): on its own thread, the shown
// sample's field evaluated plane by plane at the chosen resolution and cut at the iso-level the
// user sees; progress with an ETA, cancel (nothing written), written atomically.
#include <memory>
#include <string>
#include <thread>

#include "app/domains/shape/shape_session.h"
#include "app/gui/export_job.h"

namespace fieldscope {

struct MeshExportRun {
  std::shared_ptr<ExportProgress> progress;  // message "wrote ..." or the error when finished
  std::thread thread;                        // the owner cancels (progress->cancel) and joins it
};

// Starts the export. Throws std::runtime_error at once for a bad extension, resolution or
// iso-level, or an unwritable path.
MeshExportRun startMeshExport(std::shared_ptr<ShapeSession> session, const ShapeSpec& spec,
                                                int resolution, double isoProbability, const std::string& path);

}  // namespace fieldscope
