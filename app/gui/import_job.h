#pragma once
// File > Import DDMI checkpoint (model/image/ddmi_import.h) on a thread of its own: the viewer keeps
// drawing, the dialog shows the progress with an ETA and a Cancel that stops it before anything is
// written; the model file is written atomically at the end and then opened like any model.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace fieldscope {

struct ImportJob {
  std::string vae, ldm, config, out;
  std::atomic<int64_t> done{0}, total{0};
  std::atomic<bool> cancel{false}, finished{false};
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now(), stageStart = start;
  std::mutex mutex;
  std::string unit;     // what done/total count ("image tensors", "MB checksummed (...)")
  std::string message;  // the result: "imported ..." or the error
  bool ok = false;
  std::thread thread;
  ~ImportJob();  // joins
  // "image tensors 120/231, 3 s left" (under the mutex).
  std::string progressLine();
};

// Starts the import; the job's fields vae/ldm/config/out must be set. The caller keeps the job
// alive until `finished` (destroying it earlier cancels and waits).
void startImportJob(const std::shared_ptr<ImportJob>& job);

}  // namespace fieldscope
