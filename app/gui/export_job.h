#pragma once
// PNG export of a view at any size up to 16384^2: decoded in row bands on the torch thread
// (progress, ETA, cancel), written to a temporary file and renamed, with a sidecar JSON.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "app/gui/field_source.h"

namespace fieldscope {

struct ExportProgress {
  int totalRows = 0;
  std::atomic<int> rowsDone{0};
  std::atomic<bool> cancel{false};
  std::atomic<bool> finished{false};
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::mutex mutex;
  std::string message;  // result: "wrote ..." or the error
  bool ok = false;
  double fraction() const { return totalRows ? double(rowsDone) / totalRows : 0.0; }
  double etaSeconds() const;
  // The result, then `finished` (what the app polls).
  void finish(bool succeeded, std::string result);
};

// What an export thread's work returns: whether the file was written, and the line to show.
struct ExportOutcome {
  bool ok = false;
  std::string message;
};

// Runs `work` on a thread of its own (the view keeps decoding meanwhile); its outcome, or its
// exception's message, finishes `progress`.
std::thread startExportThread(std::shared_ptr<ExportProgress> progress, std::function<ExportOutcome()> work);

constexpr int kMaxExportSide = 16384;

// The work to hand to InferenceWorker::runTask. Throws std::runtime_error at once for a bad
// size; write errors are reported through `progress`.
std::function<void()> makeExportTask(std::shared_ptr<FieldSource> source, Region region, int width, int height,
                                     std::string path, std::string sidecarJson,
                                     std::shared_ptr<ExportProgress> progress);

}  // namespace fieldscope
