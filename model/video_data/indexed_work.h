#pragma once
// Items 0..total-1 made on a few threads, the calling thread reporting progress and polling for a
// cancel (~10 times a second), as the shape data set does it (model/shape_data/shape_dataset.cpp).
// Workers take the next index; each writes its result into its own slot, so what comes out does not
// depend on the thread count.
#include <atomic>
#include <functional>

namespace fieldscope {

struct IndexedWorkControl {
  int threads = 0;                                    // 0: one per hardware thread
  std::function<void(int done, int total)> progress;  // on the calling thread
  std::function<bool()> cancelled;                    // polled on the calling thread
};

// Runs work(i) for every i in [0, total). The first exception a worker throws stops the others
// (they finish their item) and is rethrown here. Returns false when cancelled (some items done).
bool runIndexed(int total, const std::function<void(int index)>& work, const IndexedWorkControl& control);

}  // namespace fieldscope
