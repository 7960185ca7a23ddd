#include "model/video_data/indexed_work.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace fieldscope {

bool runIndexed(int total, const std::function<void(int index)>& work, const IndexedWorkControl& control) {
  std::atomic<int> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable wake;
  int done = 0;
  std::exception_ptr failure;
  const auto worker = [&] {
    for (int i; !stop && (i = next++) < total;) {
      try {
        work(i);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        stop = true;
        wake.notify_all();
        return;
      }
      std::lock_guard lock(mutex);
      ++done;
      wake.notify_all();
    }
  };
  const int hardware = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int threads = std::clamp(control.threads > 0 ? control.threads : hardware, 1, std::max(1, total));
  if (control.progress) control.progress(0, total);  // the caller's clock starts here
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);

  bool cancelled = false;
  {
    std::unique_lock lock(mutex);
    while (done < total && !failure && !cancelled) {
      wake.wait_for(lock, std::chrono::milliseconds(100));
      const int doneNow = done;
      lock.unlock();  // the callbacks print: never under the lock
      if (control.progress) control.progress(doneNow, total);
      if (control.cancelled && control.cancelled()) cancelled = true, stop = true;
      lock.lock();
    }
  }
  for (std::thread& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  if (!cancelled && control.progress) control.progress(total, total);
  return !cancelled;
}

}  // namespace fieldscope
