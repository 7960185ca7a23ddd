#include "app/views/grid_baker.h"

#include <chrono>
#include <cstdio>

namespace fieldscope {

GridBaker::GridBaker(GridView3D& view) : view_(view) { thread_ = std::thread([this] { run(); }); }

GridBaker::~GridBaker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    queue_.clear();
    if (runningCancel_) *runningCancel_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void GridBaker::request(int n, Bake bake, std::string what, float halfExtent) {
  GridTargetPtr target = view_.beginGrid(n, halfExtent);  // throws: the running bake goes on
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.clear();  // a queued bake that never started: its target goes back to the pool
    if (runningCancel_) *runningCancel_ = true;
    latest_ = ++requested_;
    queue_.push_back({latest_, std::move(target), std::move(bake), std::move(what)});
  }
  wake_.notify_all();
}

void GridBaker::run() {
  for (;;) {
    Job job;
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      running_ = true;
      runningCancel_ = cancel;
      runningWhat_ = job.what;
    }
    progress_ = 0;
    Result r;
    r.id = job.id;
    r.what = job.what;
    const auto t0 = std::chrono::steady_clock::now();
    try {
      r.ok = job.bake(*job.target, *cancel, progress_) && !*cancel;
      if (r.ok) job.target->writesDone();
    } catch (const std::exception& e) {
      r.error = "baking " + job.what + " failed: " + e.what();
    }
    r.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    r.target = std::move(job.target);
    job.bake = nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    results_.push_back(std::move(r));
    running_ = false;
    runningCancel_.reset();
  }
}

void GridBaker::poll() {
  std::deque<Result> results;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    results.swap(results_);
  }
  for (Result& r : results) {
    if (!r.error.empty()) {
      error_ = r.error;
      std::fprintf(stderr, "fieldscope: %s\n", r.error.c_str());
      continue;
    }
    if (!r.ok || r.id != latest_) continue;  // cancelled, or a newer request is coming
    if (view_.publishGrid(r.target)) {
      ++finished_;
      lastMs_ = r.ms;
      lastWhat_ = r.what;
    }
  }
}

bool GridBaker::busy() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_ || !queue_.empty() || !results_.empty();
}

std::string GridBaker::statusLine() const {
  char buf[160];
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (running_ || !queue_.empty()) {
      const std::string what = running_ ? runningWhat_ : queue_.front().what;
      std::snprintf(buf, sizeof(buf), "baking %s: %.0f%%", what.c_str(), 100.0 * progress_.load());
      return buf;
    }
  }
  if (finished_ == 0) return {};
  std::snprintf(buf, sizeof(buf), "baked %s in %.2f s", lastWhat_.c_str(), lastMs_ / 1000.0);
  return buf;
}

}  // namespace fieldscope
