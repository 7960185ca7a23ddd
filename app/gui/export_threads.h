#pragma once
// The export threads a view runs beside its frames (mesh, MP4 exports of the 3D views): each with
// its ExportProgress; finished ones are joined and their last line kept once per frame, and the
// owner's destruction cancels and joins what still runs (docs/architecture.md "The 3D view's parts").
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/gui/export_job.h"

namespace fieldscope {

class ExportThreads {
 public:
  ExportThreads() = default;
  ExportThreads(const ExportThreads&) = delete;
  ExportThreads& operator=(const ExportThreads&) = delete;
  ~ExportThreads() {
    for (auto& [progress, thread] : runs_) {
      progress->cancel = true;
      if (thread.joinable()) thread.join();
    }
  }

  void add(std::shared_ptr<ExportProgress> progress, std::thread thread) {
    runs_.emplace_back(std::move(progress), std::move(thread));
  }
  bool empty() const { return runs_.empty(); }
  ExportProgress& newest() const { return *runs_.back().first; }

  // Joins the finished exports: the last one's line goes to `message`, a failure (not a cancel)
  // to `error`.
  void collectFinished(std::string& message, std::string& error) {
    for (auto it = runs_.begin(); it != runs_.end();) {
      if (!it->first->finished) {
        ++it;
        continue;
      }
      {
        std::lock_guard<std::mutex> lock(it->first->mutex);
        message = it->first->message;
        if (!it->first->ok && !it->first->cancel) error = it->first->message;
      }
      if (it->second.joinable()) it->second.join();
      it = runs_.erase(it);
    }
  }

 private:
  std::vector<std::pair<std::shared_ptr<ExportProgress>, std::thread>> runs_;
};

}  // namespace fieldscope
