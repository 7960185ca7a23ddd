#include "app/gui/export_job.h"

#include <algorithm>
#include <stdexcept>

#include "model/util/error_text.h"
#include "model/io/atomic_file.h"
#include "model/io/png_file.h"

namespace fieldscope {

double ExportProgress::etaSeconds() const {
  const double f = fraction();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return f > 0 ? elapsed * (1.0 - f) / f : -1.0;
}

void ExportProgress::finish(bool succeeded, std::string result) {
  {
    std::lock_guard<std::mutex> lock(mutex);
    message = std::move(result);
    ok = succeeded;
  }
  finished = true;
}

std::thread startExportThread(std::shared_ptr<ExportProgress> progress, std::function<ExportOutcome()> work) {
  return std::thread([progress, work = std::move(work)] {
    ExportOutcome out;
    try {
      out = work();
    } catch (const std::exception& e) {
      out = {false, plainErrorText(e.what())};
    }
    progress->finish(out.ok, std::move(out.message));
  });
}

std::function<void()> makeExportTask(std::shared_ptr<FieldSource> source, Region region, int width, int height,
                                     std::string path, std::string sidecarJson,
                                     std::shared_ptr<ExportProgress> progress) {
  if (width < 1 || height < 1 || width > kMaxExportSide || height > kMaxExportSide)
    throw std::runtime_error("export size " + std::to_string(width) + "x" + std::to_string(height) +
                             " is outside 1..16384 per side");
  progress->totalRows = height;
  return [=]() {
    auto finish = [&](bool ok, std::string message) {
      std::lock_guard<std::mutex> lock(progress->mutex);
      progress->ok = ok;
      progress->message = std::move(message);
      progress->finished = true;
    };
    try {
      Rgba8Image img{width, height, std::vector<uint8_t>(size_t(width) * height * 4)};
      const int band = std::max(1, 65536 / width);
      const double dy = (region.y1 - region.y0) / height;
      for (int r0 = 0; r0 < height; r0 += band) {
        if (progress->cancel) return finish(false, "export cancelled; nothing was written");
        const int r1 = std::min(height, r0 + band);
        source->decodeRegion({region.x0, region.y0 + r0 * dy, region.x1, region.y0 + r1 * dy}, width, r1 - r0,
                             PixelTarget{img.pixels.data() + size_t(r0) * width * 4, int64_t(width) * 4});
        progress->rowsDone = r1;
      }
      writePngWithSidecar(path, img, sidecarJson);  // both or neither
      finish(true, "wrote " + path + " (" + std::to_string(width) + "x" + std::to_string(height) + ") and " + path +
                       ".json");
    } catch (const std::exception& e) {
      finish(false, plainErrorText(e.what()));
    }
  };
}

}  // namespace fieldscope
