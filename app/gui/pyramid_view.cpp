#include "app/gui/pyramid_view.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "app/cli/compute_flags.h"

namespace fieldscope {

PyramidView::PyramidView(const VulkanContext& ctx, int atlasSlots, int workerThreads)
    : ctx_(ctx), exactLayerBytes_(VkDeviceSize(kMaxWidth) * kMaxHeight * 4), cache_(atlasSlots) {
  const SharedBackend backend = sharedBackend();
  atlas_ = SharedTensor::create(ctx.ref(), {atlasSlots, kTileSize, kTileSize, 4}, SharedScalar::UInt8, backend);
  exact_ = SharedTensor::create(ctx.ref(), {2, int64_t(exactLayerBytes_)}, SharedScalar::UInt8, backend);
  // workerThreads sets both counts; else viewerThreads() (FIELDSCOPE_THREADS, or one thread for
  // tiles and every usable core for the exact view, decoded only while the view rests).
  const ViewerThreads t = workerThreads > 0 ? ViewerThreads{workerThreads, workerThreads, false} : viewerThreads();
  worker_ = std::make_unique<InferenceWorker>(*atlas_, kTileSize, *exact_, int64_t(exactLayerBytes_), t.tiles, t.exact);
}

PyramidView::~PyramidView() { worker_.reset(); }

void PyramidView::setSource(std::shared_ptr<FieldSource> source) {
  if (source == source_) return;
  worker_->submit({});
  worker_->setSource(source);
  source_ = std::move(source);
  lastSubmitted_.clear();
  lastVisible_ = lastVisibleReady_ = 0;  // until the next update() looks at the new source
  error_.clear();
  if (source_ && failedSources_.count(source_->uid())) error_ = "this field failed to decode before";
}

void PyramidView::forgetSource(uint64_t sourceUid) {
  if (source_ && source_->uid() == sourceUid) return;  // still shown
  cache_.dropSource(sourceUid);
  failedSources_.erase(sourceUid);
}

void PyramidView::setTime(int64_t time) {
  if (time == time_) return;
  time_ = time;
  // lastSubmitted_ stays: tiles of other times it reserved (lookahead) keep their slots.
  lastVisible_ = lastVisibleReady_ = 0;
}

std::vector<TileKey> PyramidView::visibleKeys(const VisibleTiles& vt, int64_t time) const {
  std::vector<TileKey> keys;
  if (!source_) return keys;
  const bool bounded = source_->bounded();
  for (int r = 0; r < vt.rows; ++r)
    for (int c = 0; c < vt.cols; ++c) {
      const TileKey key{vt.level, vt.x0 + c, vt.y0 + r, source_->uid(), time};
      if (!bounded || tileInsideImage(key)) keys.push_back(key);
    }
  return keys;
}

bool PyramidView::timeReady(int64_t time) const {
  const auto keys = visibleKeys(lastTiles_, time);
  return !keys.empty() && std::all_of(keys.begin(), keys.end(), [&](const TileKey& k) { return cache_.ready(k).has_value(); });
}

bool PyramidView::exactMatches(const ExactLayer& l, const View2D& view) const {
  return l.id != 0 && l.view == view && source_ && l.source == source_->uid() && l.time == time_;
}

int PyramidView::maxSlots(const VulkanContext& ctx) {
  VkPhysicalDeviceProperties props;
  vkGetPhysicalDeviceProperties(ctx.physical(), &props);
  return int(std::min<uint64_t>(props.limits.maxStorageBufferRange / kSlotBytes, 1u << 20));
}

void PyramidView::resizeAtlas(int slots) {
  // The compositor binds the whole atlas as one storage buffer.
  if (slots < 1 || slots > maxSlots(ctx_))
    throw std::runtime_error("a tile cache of " + std::to_string(slots) + " tiles (" +
                             std::to_string(size_t(slots) * kSlotBytes / 1048576) +
                             " MB) does not fit this device's largest storage buffer (" +
                             std::to_string(size_t(maxSlots(ctx_)) * kSlotBytes / 1048576) + " MB)");
  auto atlas = SharedTensor::create(ctx_.ref(), {slots, kTileSize, kTileSize, 4}, SharedScalar::UInt8, sharedBackend());
  worker_->replaceAtlas(*atlas);
  atlas_ = std::move(atlas);
  cache_ = TileCache(slots);
  lastSubmitted_.clear();
}

void PyramidView::collectResults() {
  for (const WorkerResult& r : worker_->drain()) {
    if (const auto* t = std::get_if<TileJob>(&r.job)) {
      if (r.done)
        cache_.markReady(t->slot);
      else
        cache_.release(t->slot);
    }
    if (r.error.empty() || !r.job.source) continue;
    // A failed decode: shown once, and this source is not asked for again (no retry loop).
    if (failedSources_.insert(r.job.source->uid()).second && r.job.source == source_) {
      error_ = r.job.source->name() + ": " + r.error;
      newError_ = error_;
    }
  }
}

namespace {
bool sameJobs(const std::vector<WorkerJob>& a, const std::vector<WorkerJob>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].index() != b[i].index()) return false;
    if (auto* t = std::get_if<TileJob>(&a[i])) {
      if (t->slot != std::get<TileJob>(b[i]).slot || !(t->key == std::get<TileJob>(b[i]).key)) return false;
    } else if (auto* e = std::get_if<ExactJob>(&a[i])) {
      const ExactJob& f = std::get<ExactJob>(b[i]);
      if (e->id != f.id || e->whileMoving != f.whileMoving) return false;
    } else if (std::get<CustomJob>(a[i]).id != std::get<CustomJob>(b[i]).id) {
      return false;
    }
  }
  return true;
}
}  // namespace

ComposeParams PyramidView::update(const View2D& view, double focusX, double focusY, bool still, uint64_t frame,
                                  uint64_t completedFrame) {
  collectResults();
  ComposeParams p;
  p.tiles = visibleTiles(view, kTileSize, kMaxLevel);
  const VisibleTiles& vt = p.tiles;
  lastTiles_ = vt;
  lastLevel_ = vt.level;
  p.table.assign(size_t(vt.cols) * vt.rows, TileTableEntry{});
  lastVisible_ = lastVisibleReady_ = 0;
  const bool bounded = source_ && source_->bounded();
  const uint64_t uid = source_ ? source_->uid() : 0;
  if (vt.cols * vt.rows <= Compositor::kMaxTableEntries) {
    for (int r = 0; r < vt.rows; ++r)
      for (int c = 0; c < vt.cols; ++c) {
        const TileKey key{vt.level, vt.x0 + c, vt.y0 + r, uid, time_};
        if (bounded && !tileInsideImage(key)) continue;
        ++lastVisible_;
        for (int d = 0; d <= vt.level; ++d) {
          const auto slot = cache_.ready(key.parent(d));
          if (!slot) continue;
          const int64_t mask = (int64_t(1) << d) - 1;
          p.table[size_t(r) * vt.cols + c] = {*slot, d, int32_t(key.x & mask), int32_t(key.y & mask)};
          cache_.use(*slot, frame);
          if (d == 0) ++lastVisibleReady_;
          cache_.countLookup(d == 0);
          break;
        }
      }
  }
  requestWork(view, vt, focusX, focusY, still, completedFrame);

  // The exact layer for this very view, as far as it has landed.
  shownLayer_ = -1;
  shownRows_ = 0;
  for (int i = 0; i < 2; ++i) {
    ExactLayer& l = layers_[i];
    if (!exactMatches(l, view)) continue;
    const int rows = worker_->exactRows(i, l.id);
    if (rows <= 0) continue;
    p.exactRows = rows;
    p.exactStride = view.width();
    p.exactOffset = exactLayerBytes_ * i;
    l.lastUse = frame;
    l.used = true;
    shownLayer_ = i;
    shownRows_ = rows;
  }
  return p;
}

void PyramidView::requestWork(const View2D& view, const VisibleTiles& vt, double focusX, double focusY, bool still,
                              uint64_t completedFrame) {
  if (!source_ || failedSources_.count(source_->uid())) return;  // a failed field is not retried
  const bool bounded = source_->bounded();
  const uint64_t uid = source_->uid();
  struct Want {
    TileKey key;
    double priority;
  };
  std::vector<Want> visible, coarse, prefetch;
  const double fx = vt.originX + focusX * vt.pixelInTiles, fy = vt.originY + focusY * vt.pixelInTiles;
  const int coarseLevel = std::max(0, vt.level - 3);
  for (int r = -1; r <= vt.rows; ++r)
    for (int c = -1; c <= vt.cols; ++c) {
      const TileKey key{vt.level, vt.x0 + c, vt.y0 + r, uid, time_};
      if (bounded && !tileInsideImage(key)) continue;
      const double dist = std::hypot(c + 0.5 - fx, r + 0.5 - fy);
      const bool inside = r >= 0 && c >= 0 && r < vt.rows && c < vt.cols;
      if (!inside) {
        prefetch.push_back({key, dist});
        continue;
      }
      if (cache_.ready(key)) continue;
      visible.push_back({key, dist});
      // Nothing at all to show here yet: a coarse ancestor lands much sooner.
      bool anyAncestor = false;
      for (int d = 1; d <= vt.level && !anyAncestor; ++d) anyAncestor = cache_.ready(key.parent(d)).has_value();
      if (!anyAncestor && coarseLevel < vt.level) {
        const TileKey ck = key.parent(vt.level - coarseLevel);
        if (std::none_of(coarse.begin(), coarse.end(), [&](const Want& w) { return w.key == ck; }))
          coarse.push_back({ck, dist});
      }
    }
  auto byPriority = [](const Want& a, const Want& b) { return a.priority < b.priority; };
  std::sort(visible.begin(), visible.end(), byPriority);
  std::sort(coarse.begin(), coarse.end(), byPriority);
  std::sort(prefetch.begin(), prefetch.end(), byPriority);

  if (naive_) {  // every view is decoded whole; no tiles are ever requested
    still = true;
    coarse.clear();
    visible.clear();
    prefetch.clear();
  }
  std::vector<WorkerJob> jobs;
  auto addTile = [&](const TileKey& key) {
    if (cache_.ready(key)) return;
    // Keep pending reservations (re-submitted with the new order) ...
    int slot = -1;
    if (cache_.pending(key)) {
      for (const WorkerJob& j : lastSubmitted_)
        if (auto* t = std::get_if<TileJob>(&j); t && t->key == key) slot = t->slot;
      if (slot < 0) return;  // being decoded right now; it will land by itself
    } else {
      slot = cache_.reserve(key, completedFrame);
      if (slot < 0) return;  // atlas full of tiles in use: try again next frame
    }
    WorkerJob job = TileJob{key, slot};
    job.source = source_;
    jobs.push_back(std::move(job));
  };
  // Rest first: once the view is still, its exact decode goes ahead of every tile (the worker
  // stops a tile being decoded after its current band and queues it again behind the exact view).
  const bool restFirst = still && (lookahead_.empty() || naive_);
  if (restFirst) addExact(view, uid, completedFrame, false, jobs);
  for (const Want& w : coarse) addTile(w.key);
  for (const Want& w : visible) addTile(w.key);
  // Moving: behind this frame's tiles, its exact view, so that the worker goes on with it
  // instead of idling until the view rests (stopped within a small band when the view moves
  // on). When this was the last move, the exact view is under way before the rest is seen.
  if (!still && exactWhenIdle_ && lookahead_.empty()) addExact(view, uid, completedFrame, true, jobs);
  if (!lookahead_.empty() && !naive_) {
    // A playing clip: the next times' visible tiles, nearest time first, as many as half the
    // atlas holds (the other half keeps what is on screen and what was just shown).
    const int perTime = std::max<int>(1, int(visibleKeys(vt, time_).size()));
    const size_t times = std::min(lookahead_.size(), size_t(std::max(1, cache_.slotCount() / 2 / perTime)));
    for (size_t i = 0; i < times; ++i)
      for (const TileKey& key : visibleKeys(vt, lookahead_[i])) addTile(key);
  } else if (still) {
    for (const Want& w : prefetch) addTile(w.key);
  }
  // Reservations that were submitted before but are not wanted any more are released when
  // the worker reports them dropped (collectResults).
  if (!sameJobs(jobs, lastSubmitted_)) {
    worker_->submit(jobs);
    lastSubmitted_ = std::move(jobs);
  }
}

void PyramidView::addExact(const View2D& view, uint64_t uid, uint64_t completedFrame, bool whileMoving,
                           std::vector<WorkerJob>& jobs) {
  const bool haveExact = std::any_of(std::begin(layers_), std::end(layers_),
                                     [&](const ExactLayer& l) { return exactMatches(l, view); });
  if (!haveExact) {
    // A layer no frame on the GPU still reads, and not the one on screen.
    for (int i = 0; i < 2; ++i) {
      ExactLayer& l = layers_[i];
      if (i == shownLayer_ || (l.used && l.lastUse > completedFrame)) continue;
      l.id = nextExactId_++;
      l.view = view;
      l.source = uid;
      l.time = time_;
      l.used = false;
      break;
    }
  }
  for (int i = 0; i < 2; ++i) {
    const ExactLayer& l = layers_[i];
    if (exactMatches(l, view) && worker_->exactRows(i, l.id) < view.height()) {
      WorkerJob job = ExactJob{l.id, view.region(), view.width(), view.height(), i, time_, whileMoving};
      job.source = source_;
      jobs.push_back(std::move(job));
    }
  }
}

bool PyramidView::converged(const View2D& view) const {
  for (int i = 0; i < 2; ++i) {
    const ExactLayer& l = layers_[i];
    if (exactMatches(l, view) && worker_->exactRows(i, l.id) >= view.height()) return true;
  }
  return false;
}

PyramidStats PyramidView::stats() const {
  PyramidStats s;
  s.level = lastLevel_;
  s.visibleTiles = lastVisible_;
  s.visibleReady = lastVisibleReady_;
  s.cachedTiles = cache_.readyCount();
  s.slots = cache_.slotCount();
  s.atlasBytes = atlas_->bytes();
  s.usedBytes = size_t(cache_.readyCount() + cache_.pendingCount()) * kSlotBytes;
  s.hits = cache_.hits();
  s.misses = cache_.misses();
  s.worker = worker_->stats();
  s.exactShown = shownLayer_ >= 0;
  s.exactRows = shownRows_;
  return s;
}

}  // namespace fieldscope
