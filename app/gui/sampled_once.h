#pragma once
// A sample's fields, made once on the worker thread and kept (docs/architecture.md "Worker"): the
// first decode runs the diffusion sampler -- with a progress hook on the model for the status line
// -- and every later tile reads the kept fields. A failure is kept as well: a sample whose
// sampling failed is not sampled again per tile (no retry loop). Used by the image and video
// sample sources and the video clip grid.
#include <atomic>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>

namespace fieldscope {

template <class Fields>
class SampledOnce {
 public:
  // "sampling: DDIM step 12/50" while the sampler runs, else "". Any thread.
  std::string progressNote() const {
    const int done = done_.load(), total = total_.load();
    if (total <= 0 || done >= total) return {};
    return "sampling: DDIM step " + std::to_string(done) + "/" + std::to_string(total);
  }
  bool ready() const { return ready_.load(); }

  // The fields, made by make() at the first call. `model` is the shared model (anything with
  // setSamplerProgress(std::function<void(int, int)>)); the hook is this sample's only while it
  // samples, all on the worker thread. Throws "sampling failed: ..." then and at every later call.
  template <class Model, class Make>
  const Fields& get(Model& model, int steps, Make&& make) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!failure_.empty()) throw std::runtime_error(failure_);
    if (!ready_) try {
      total_ = steps;
      model.setSamplerProgress([this](int done, int total) {
        done_ = done;
        total_ = total;
      });
      struct Unhook {
        Model& m;
        ~Unhook() { m.setSamplerProgress({}); }
      } unhook{model};
      fields_ = make();
      ready_ = true;
    } catch (const std::exception& e) {
      failure_ = std::string("sampling failed: ") + e.what();
      throw std::runtime_error(failure_);
    }
    return fields_;
  }

 private:
  std::mutex mutex_;
  std::atomic<bool> ready_{false};
  std::atomic<int> done_{0}, total_{0};
  std::string failure_;
  Fields fields_;
};

}  // namespace fieldscope
