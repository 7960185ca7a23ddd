#include "app/gui/inference_worker.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

namespace fieldscope {

namespace {
double msSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

InferenceWorker::InferenceWorker(SharedTensor& atlas, int tileSize, SharedTensor& exact, int64_t exactLayerBytes,
                                 int threads)
    : atlas_(&atlas), exact_(exact), tileSize_(tileSize), exactLayerBytes_(exactLayerBytes), threads_(threads) {
  thread_ = std::thread([this] { run(); });
}

InferenceWorker::~InferenceWorker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    wantedExact_ = 0;
  }
  wake_.notify_all();
  thread_.join();
}

void InferenceWorker::setSource(std::shared_ptr<FieldSource> source) {
  std::lock_guard<std::mutex> lock(mutex_);
  source_ = std::move(source);
}

void InferenceWorker::replaceAtlas(SharedTensor& atlas) {
  submit({});
  std::unique_lock<std::mutex> lock(mutex_);
  jobDone_.wait(lock, [&] { return runningSlot_ < 0; });
  atlas_ = &atlas;
  results_.clear();
}

void InferenceWorker::submit(std::vector<WorkerJob> jobs) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Jobs that are queued but not wanted any more are reported as dropped.
    for (WorkerJob& old : queue_) {
      bool stillWanted = std::any_of(jobs.begin(), jobs.end(), [&](const WorkerJob& j) {
        if (j.index() != old.index()) return false;
        if (auto* t = std::get_if<TileJob>(&j)) return t->slot == std::get<TileJob>(old).slot;
        return std::get<ExactJob>(j).id == std::get<ExactJob>(old).id;
      });
      if (!stillWanted) results_.push_back({old, false, 0});
    }
    queue_.clear();
    uint64_t wanted = 0;
    for (WorkerJob& j : jobs) {
      if (auto* t = std::get_if<TileJob>(&j); t && t->slot == runningSlot_) continue;  // already being decoded
      if (auto* e = std::get_if<ExactJob>(&j)) wanted = e->id;
      queue_.push_back(std::move(j));
    }
    // A running exact decode keeps going only while it is still asked for.
    wantedExact_ = wanted;
  }
  wake_.notify_all();
}

void InferenceWorker::runTask(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  wake_.notify_all();
}

std::vector<WorkerResult> InferenceWorker::drain() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<WorkerResult> out;
  out.swap(results_);
  return out;
}

int InferenceWorker::exactRows(int layer, uint64_t id) const {
  return exactId_[layer].load(std::memory_order_acquire) == id ? exactRows_[layer].load(std::memory_order_acquire) : 0;
}

WorkerStats InferenceWorker::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {queue_.size(), tilesDecoded_, lastTileMs_, lastExactMs_, busy_};
}

void InferenceWorker::run() {
  // Below the UI thread in priority: on a 2-core CPU, frames must not wait for decodes.
  // Linux nice values are per thread and inherited by the torch threads created from here.
  ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10);
  torch::set_num_threads(threads_);
  torch::InferenceMode inference;
  for (;;) {
    WorkerJob job;
    std::shared_ptr<FieldSource> src;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      busy_ = false;
      runningSlot_ = -1;
      jobDone_.notify_all();
      wake_.wait(lock, [&] { return stop_ || !tasks_.empty() || (!queue_.empty() && source_); });
      if (stop_) return;
      if (!tasks_.empty()) {
        auto task = std::move(tasks_.front());
        tasks_.pop_front();
        busy_ = true;
        lock.unlock();
        try {
          task();
        } catch (const std::exception& e) {
          std::fprintf(stderr, "fieldscope: task failed: %s\n", e.what());
        }
        continue;
      }
      job = std::move(queue_.front());
      queue_.pop_front();
      src = source_;
      busy_ = true;
      if (auto* t = std::get_if<TileJob>(&job)) runningSlot_ = t->slot;
    }
    const auto t0 = std::chrono::steady_clock::now();
    bool done = true;
    try {
      if (auto* t = std::get_if<TileJob>(&job))
        runTile(*src, *t);
      else
        done = runExact(*src, std::get<ExactJob>(job));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "fieldscope: decode failed: %s\n", e.what());
      done = false;
    }
    const double ms = msSince(t0);
    std::lock_guard<std::mutex> lock(mutex_);
    if (std::holds_alternative<TileJob>(job)) {
      if (done) ++tilesDecoded_, lastTileMs_ = ms;
    } else if (done) {
      lastExactMs_ = ms;
    }
    results_.push_back({job, done, ms});
  }
}

void InferenceWorker::runTile(FieldSource& src, const TileJob& job) {
  const int64_t slotBytes = int64_t(tileSize_) * tileSize_ * 4;
  auto* base = static_cast<uint8_t*>(atlas_->torchData()) + job.slot * slotBytes;
  src.decodeRegion(tileRegion(job.key), tileSize_, tileSize_, {base, int64_t(tileSize_) * 4, atlas_->cudaDevice()});
  atlas_->torchWritesDone();
}

bool InferenceWorker::runExact(FieldSource& src, const ExactJob& job) {
  exactRows_[job.layer].store(0, std::memory_order_release);
  exactId_[job.layer].store(job.id, std::memory_order_release);
  auto* base = static_cast<uint8_t*>(exact_.torchData()) + job.layer * exactLayerBytes_;
  const int64_t stride = int64_t(job.width) * 4;
  const int band = std::max(1, 32768 / std::max(1, job.width));  // ~32k pixels a band: bounded memory
  const double dy = (job.region.y1 - job.region.y0) / job.height;
  for (int r0 = 0; r0 < job.height; r0 += band) {
    if (wantedExact_.load() != job.id) return false;
    const int r1 = std::min(job.height, r0 + band);
    Region sub{job.region.x0, job.region.y0 + r0 * dy, job.region.x1, job.region.y0 + r1 * dy};
    src.decodeRegion(sub, job.width, r1 - r0, {base + r0 * stride, stride, exact_.cudaDevice()});
    exact_.torchWritesDone();
    exactRows_[job.layer].store(r1, std::memory_order_release);
  }
  return true;
}

}  // namespace fieldscope
