#include "app/gui/document_loader.h"

#include <cstdio>

#include "model/util/compute_options.h"

namespace fieldscope {

DocumentLoader::DocumentLoader(const ComputeOptions& compute) : compute_(std::make_unique<ComputeOptions>(compute)) {
  thread_ = std::thread([this] { run(); });
}

DocumentLoader::~DocumentLoader() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    cancel_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void DocumentLoader::start(Request request) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (running_) cancel_ = true;  // the newer request wins
    pending_ = std::move(request);
    result_.reset();
  }
  wake_.notify_all();
}

bool DocumentLoader::busy() const {
  std::lock_guard<std::mutex> lock(mutex_);
  // A finished load counts until the UI thread took its result: between the loader thread
  // finishing and take() the app still shows the old view, and must not save or capture it
  // as if nothing were being opened (the session once lost its model that way).
  return running_ || pending_.has_value() || result_.has_value();
}

std::string DocumentLoader::progressLine() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!running_ && !pending_) return "";
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  char buf[64];
  if (fraction_ >= 0)
    std::snprintf(buf, sizeof(buf), "... %.0f%%, %.1f s", 100 * fraction_, s);
  else
    std::snprintf(buf, sizeof(buf), "... %.1f s", s);
  return (what_.empty() ? std::string("opening") : what_) + buf;
}

std::optional<DocumentLoader::Result> DocumentLoader::take() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::exchange(result_, std::nullopt);
}

void DocumentLoader::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || pending_.has_value(); });
    if (stop_) return;
    Request request = std::move(*pending_);
    pending_.reset();
    running_ = true;
    cancel_ = false;
    what_ = "opening " + request.file.filename().string();
    fraction_ = -1;
    started_ = std::chrono::steady_clock::now();
    lock.unlock();
    Result result{request, nullptr, {}};
    LoadContext context;
    context.compute = compute_.get();
    context.cancel = &cancel_;
    context.progress = [this](double fraction, const std::string& what) {
      std::lock_guard<std::mutex> l(mutex_);
      fraction_ = fraction;
      what_ = what;
    };
    try {
      result.document = request.domain->load(request.file, context);
    } catch (const std::exception& e) {
      result.error = e.what();
    }
    lock.lock();
    running_ = false;
    // A newer request replaced this one meanwhile: its result is not wanted.
    if (!pending_ && !stop_) result_ = std::move(result);
  }
}

}  // namespace fieldscope
