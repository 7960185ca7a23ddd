#pragma once
// DocumentLoader: opens files off the UI thread (docs/architecture.md "The app loop"). The
// domain's load() runs on the loader's own thread with a progress line; the UI thread takes
// the finished document (or its error) and makes the view. The latest request wins: a load
// that finishes after a newer one was started is dropped.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "app/domain/domain.h"

namespace fieldscope {

struct ComputeOptions;

class DocumentLoader {
 public:
  explicit DocumentLoader(const ComputeOptions& compute);
  ~DocumentLoader();

  struct Request {
    std::filesystem::path file;
    const Domain* domain = nullptr;
    nlohmann::json state;     // the view state to restore once open (may be null)
    bool fromUser = true;     // failures of user actions get a dialog; session restores a status line
  };
  struct Result {
    Request request;
    std::shared_ptr<DomainDocument> document;  // null on failure
    std::string error;
  };
  void start(Request request);
  // True from start() until take() returned the result: a load is queued, running, or done
  // but not yet taken.
  bool busy() const;
  // "loading emoji-image.fsm... 1.2 s" while busy, else "".
  std::string progressLine() const;
  std::optional<Result> take();

 private:
  void run();
  std::unique_ptr<ComputeOptions> compute_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<Request> pending_;
  std::optional<Result> result_;
  bool running_ = false, stop_ = false;
  std::string what_;
  double fraction_ = -1;
  std::chrono::steady_clock::time_point started_;
  std::atomic<bool> cancel_{false};
  std::thread thread_;
};

}  // namespace fieldscope
