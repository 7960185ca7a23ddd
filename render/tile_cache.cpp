#include "render/tile_cache.h"

namespace fieldscope {

TileCache::TileCache(int slots) : slots_(static_cast<size_t>(slots)) {}

std::optional<int> TileCache::ready(const TileKey& key) const {
  auto it = index_.find(key);
  if (it == index_.end() || slots_[it->second].state != State::Ready) return std::nullopt;
  return it->second;
}

bool TileCache::pending(const TileKey& key) const {
  auto it = index_.find(key);
  return it != index_.end() && slots_[it->second].state == State::Pending;
}

void TileCache::use(int slot, uint64_t frame) {
  Slot& s = slots_[slot];
  s.lastUse = std::max(s.lastUse, frame);
  s.lastTouch = ++clock_;
  s.everUsed = true;
}

int TileCache::reserve(const TileKey& key, uint64_t completedFrame) {
  int best = -1;
  for (int i = 0; i < slotCount(); ++i) {
    const Slot& s = slots_[i];
    const bool gpuDone = !s.everUsed || s.lastUse <= completedFrame;
    if (s.state == State::Free && gpuDone) {
      best = i;
      break;
    }
    if (s.state == State::Ready && gpuDone && (best < 0 || s.lastTouch < slots_[best].lastTouch)) best = i;
  }
  if (best < 0) return -1;
  Slot& s = slots_[best];
  if (s.state == State::Ready) index_.erase(s.key);
  s.state = State::Pending;
  s.key = key;
  s.lastTouch = ++clock_;
  index_[key] = best;
  return best;
}

bool TileCache::indexed(int slot) const {
  auto it = index_.find(slots_[slot].key);
  return it != index_.end() && it->second == slot;
}

void TileCache::markReady(int slot) {
  Slot& s = slots_[slot];
  if (s.state != State::Pending) return;
  // A reservation forgotten by clear() (the field changed meanwhile) holds stale pixels.
  s.state = indexed(slot) ? State::Ready : State::Free;
}

void TileCache::release(int slot) {
  Slot& s = slots_[slot];
  if (s.state != State::Pending) return;
  if (indexed(slot)) index_.erase(s.key);
  s.state = State::Free;
}

void TileCache::clear() {
  // Ready tiles become free (their lastUse still protects frames in flight); pending ones
  // stay reserved until the worker reports them, but are no longer found by key.
  for (Slot& s : slots_)
    if (s.state == State::Ready) s.state = State::Free;
  index_.clear();
}

void TileCache::dropSource(uint64_t source) {
  // As clear(), for one source: ready tiles become free (lastUse keeps protecting frames in
  // flight); its pending reservations are no longer found and free themselves when reported.
  for (size_t i = 0; i < slots_.size(); ++i) {
    Slot& s = slots_[i];
    if (s.key.source != source || !indexed(int(i))) continue;
    index_.erase(s.key);
    if (s.state == State::Ready) s.state = State::Free;
  }
}

int TileCache::readyCountOf(uint64_t source) const {
  int n = 0;
  for (const Slot& s : slots_) n += s.state == State::Ready && s.key.source == source;
  return n;
}

int TileCache::readyCount() const {
  int n = 0;
  for (const Slot& s : slots_) n += s.state == State::Ready;
  return n;
}

int TileCache::pendingCount() const {
  int n = 0;
  for (const Slot& s : slots_) n += s.state == State::Pending;
  return n;
}

}  // namespace fieldscope
