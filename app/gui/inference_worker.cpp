#include "app/gui/inference_worker.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

#include "model/util/parallel_chunks.h"

namespace fieldscope {

namespace {
double msSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

InferenceWorker::InferenceWorker(SharedTensor& atlas, int tileSize, SharedTensor& exact, int64_t exactLayerBytes,
                                 int threads, int exactThreads)
    : atlas_(&atlas),
      exact_(exact),
      tileSize_(tileSize),
      exactLayerBytes_(exactLayerBytes),
      threads_(threads),
      exactThreads_(exactThreads > 0 ? exactThreads : threads) {
  thread_ = std::thread([this] { run(); });
}

InferenceWorker::~InferenceWorker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    stopRunning_ = true;
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

bool InferenceWorker::sameJob(const WorkerJob& a, const WorkerJob& b) {
  if (a.index() != b.index()) return false;
  if (auto* t = std::get_if<TileJob>(&a)) return t->slot == std::get<TileJob>(b).slot;
  if (auto* e = std::get_if<ExactJob>(&a)) return e->id == std::get<ExactJob>(b).id;
  return std::get<CustomJob>(a).id == std::get<CustomJob>(b).id;
}

uint64_t InferenceWorker::submit(std::vector<WorkerJob> jobs) {
  uint64_t generation;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    generation = ++generation_;
    std::stable_sort(jobs.begin(), jobs.end(),
                     [](const WorkerJob& a, const WorkerJob& b) { return a.priority < b.priority; });
    // Jobs that are queued but not wanted any more are reported as dropped (a copy of a running
    // tile queued again by a preemption is reported by run(), once).
    for (WorkerJob& old : queue_) {
      if (preempted_ && sameJob(old, running_)) continue;
      const bool stillWanted = std::any_of(jobs.begin(), jobs.end(), [&](const WorkerJob& j) { return sameJob(j, old); });
      if (!stillWanted) results_.push_back({old, false, 0, {}, generation});
    }
    queue_.clear();
    bool runningWanted = false, exactAhead = false;
    size_t runningPlace = 0;  // how many queued jobs come before the running one in `jobs`
    for (WorkerJob& j : jobs) {
      if (busy_ && sameJob(j, running_)) {  // already running: it goes on
        runningWanted = true;
        runningPlace = queue_.size();
        if (auto* e = std::get_if<ExactJob>(&j)) exactWhileMoving_ = e->whileMoving;  // at rest now: larger bands
        continue;
      }
      if (!runningWanted && std::holds_alternative<ExactJob>(j)) exactAhead = true;
      queue_.push_back(std::move(j));
    }
    // A running job keeps going only while it is still asked for (tiles are short: they finish),
    // except that a tile yields to an exact view put ahead of it (rest first: the view came to
    // rest; not the exact view a moving frame queues behind its tiles): it stops at its next band
    // and is queued again at its place, right after that exact view.
    if (busy_ && std::holds_alternative<TileJob>(running_) && runningWanted && (exactAhead || preempted_)) {
      queue_.insert(queue_.begin() + std::ptrdiff_t(runningPlace), running_);
      preempted_ = true;
      stopRunning_ = true;
    }
    if (busy_ && !std::holds_alternative<TileJob>(running_)) {
      runningWanted_ = runningWanted;
      if (!runningWanted) {
        stopRunning_ = true;
      } else if (std::holds_alternative<ExactJob>(running_)) {
        // Asked for again after a stop (the view came back within a band): it goes on; if it
        // has already stopped, run() queues it again instead of reporting it dropped.
        stopRunning_ = false;
      }
    }
  }
  wake_.notify_all();
  return generation;
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
  return {queue_.size(), tilesDecoded_, failures_, lastTileMs_, lastExactMs_, busy_};
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
      running_ = WorkerJob{};
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
      src = job.source ? job.source : source_;
      busy_ = true;
      running_ = job;
      runningGeneration_ = generation_;
      stopRunning_ = false;
      preempted_ = false;
      runningWanted_ = true;
      if (auto* t = std::get_if<TileJob>(&job)) runningSlot_ = t->slot;
      if (auto* e = std::get_if<ExactJob>(&job)) exactWhileMoving_ = e->whileMoving;
    }
    const auto t0 = std::chrono::steady_clock::now();
    bool done = true;
    std::string error;
    try {
      if (auto* t = std::get_if<TileJob>(&job)) {
        if (!src) throw std::runtime_error("no field to decode");
        done = runTile(*src, *t);
      } else if (auto* e = std::get_if<ExactJob>(&job)) {
        if (!src) throw std::runtime_error("no field to decode");
        done = runExact(*src, *e);
      } else {
        CustomJob& c = std::get<CustomJob>(job);
        c.run(stopRunning_);
        done = !stopRunning_.load();
      }
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) error = "unknown error";
      done = false;
    }
    const double ms = msSince(t0);
    std::lock_guard<std::mutex> lock(mutex_);
    if (std::holds_alternative<TileJob>(job)) {
      if (done) ++tilesDecoded_, lastTileMs_ = ms;
    } else if (std::holds_alternative<ExactJob>(job) && done) {
      lastExactMs_ = ms;
    }
    if (!error.empty()) ++failures_;
    if (std::holds_alternative<ExactJob>(job) && !done && error.empty() && runningWanted_ && !stop_) {
      queue_.push_front(job);  // stopped, then asked for again before it noticed: it starts over
      continue;
    }
    if (preempted_ && std::holds_alternative<TileJob>(job)) {
      // Queued again by submit() (rest first): a stopped run leaves no note, its copy decodes it
      // later; a run that finished before it saw the stop removes that copy.
      auto copy = std::find_if(queue_.begin(), queue_.end(), [&](const WorkerJob& q) { return sameJob(q, job); });
      if (copy != queue_.end()) {
        if (!done && error.empty()) continue;
        queue_.erase(copy);
      }
    }
    results_.push_back({job, done, ms, error, runningGeneration_});
    // Tiles land many at a time and show in the next frame of a moving view; a finished exact
    // view (or custom job) is what a resting view's frame loop sleeps for.
    if (onLanded_ && done && !std::holds_alternative<TileJob>(job)) onLanded_();
  }
}

bool InferenceWorker::runTile(FieldSource& src, const TileJob& job) {
  // In kTileBands bands, so that an exact view put first waits for a quarter of a tile at most
  // (submit()): ~7 ms on one core instead of ~15 ms with halves.
  const int64_t slotBytes = int64_t(tileSize_) * tileSize_ * 4, stride = int64_t(tileSize_) * 4;
  auto* base = static_cast<uint8_t*>(atlas_->torchData()) + job.slot * slotBytes;
  const Region r = tileRegion(job.key);
  const int band = std::max(1, tileSize_ / kTileBands);
  const double dy = (r.y1 - r.y0) / tileSize_;
  for (int r0 = 0; r0 < tileSize_; r0 += band) {
    if (stopRunning_.load()) return false;
    const int r1 = std::min(tileSize_, r0 + band);
    src.decodeRegionAt(job.key.time, {r.x0, r.y0 + r0 * dy, r.x1, r.y0 + r1 * dy}, tileSize_, r1 - r0,
                       {base + r0 * stride, stride, atlas_->cudaDevice()});
  }
  atlas_->torchWritesDone();
  return true;
}

bool InferenceWorker::runExact(FieldSource& src, const ExactJob& job) {
  exactRows_[job.layer].store(0, std::memory_order_release);
  exactId_[job.layer].store(job.id, std::memory_order_release);
  auto* base = static_cast<uint8_t*>(exact_.torchData()) + job.layer * exactLayerBytes_;
  const int64_t stride = int64_t(job.width) * 4;
  // Every core it may use (docs/architecture.md "Worker") for the readout's
  // chunks (parallelChunks' helper threads; torch's own threads stay as they are). Bands of ~128k
  // pixels a thread: a few per view, so a new view stops this one within one band, while each
  // band has enough chunks for every thread. Asked for while the view still moves: bands of
  // ~64k pixels a thread, so that the next view's tiles wait ~5 ms at most (each band is one render
  // with its own set-up: smaller bands cost more in all, BM_Decode720pBands).
  ScopedChunkThreads threads(exactThreads_);
  const double dy = (job.region.y1 - job.region.y0) / job.height;
  for (int r0 = 0, r1 = 0; r0 < job.height; r0 = r1) {
    if (stopRunning_.load()) return false;
    const int pixels = exactWhileMoving_.load() ? 65536 : 131072;
    r1 = std::min(job.height, r0 + std::max(1, pixels * exactThreads_ / std::max(1, job.width)));
    Region sub{job.region.x0, job.region.y0 + r0 * dy, job.region.x1, job.region.y0 + r1 * dy};
    src.decodeRegionAt(job.time, sub, job.width, r1 - r0, {base + r0 * stride, stride, exact_.cudaDevice()});
    exact_.torchWritesDone();
    exactRows_[job.layer].store(r1, std::memory_order_release);
  }
  return true;
}

}  // namespace fieldscope
