#pragma once
// TileCache: which tile lives in which atlas slot, LRU eviction with a fixed slot budget.
// Owned by the UI thread. A slot read by a frame the GPU may still be running is never
// handed out for rewriting (frames are numbered; slots remember the last frame that used them).
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "render/tile_pyramid.h"

namespace fieldscope {

class TileCache {
 public:
  explicit TileCache(int slots);

  int slotCount() const { return static_cast<int>(slots_.size()); }
  // Ready slot of `key`, if decoded (does not count as a use).
  std::optional<int> ready(const TileKey& key) const;
  bool pending(const TileKey& key) const;
  // Marks a ready slot as read by `frame`.
  void use(int slot, uint64_t frame);
  // Reserves a slot for decoding `key`: a free one, else the least recently used ready
  // tile whose last use is <= completedFrame. Returns -1 when every slot is busy.
  int reserve(const TileKey& key, uint64_t completedFrame);
  void markReady(int slot);   // the worker finished writing it
  void release(int slot);     // a reservation that was dropped (stale request)
  void clear();  // forget every tile (new field); slots busy on the GPU or the worker stay protected
  // Forgets the tiles of one source (it was closed); other sources' tiles stay cached.
  void dropSource(uint64_t source);
  int readyCountOf(uint64_t source) const;

  int readyCount() const;
  int pendingCount() const;
  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }
  void countLookup(bool hit) { (hit ? hits_ : misses_)++; }

 private:
  enum class State { Free, Pending, Ready };
  struct Slot {
    State state = State::Free;
    TileKey key;
    uint64_t lastUse = 0;     // last frame that read it
    uint64_t lastTouch = 0;   // LRU order
    bool everUsed = false;
  };
  bool indexed(int slot) const;
  std::vector<Slot> slots_;
  std::unordered_map<TileKey, int, TileKeyHash> index_;
  uint64_t clock_ = 0;
  uint64_t hits_ = 0, misses_ = 0;
};

}  // namespace fieldscope
