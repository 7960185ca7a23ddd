#include "app/domains/sr/view/sr_sampler.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>

#include "model/sr/sr_field.h"
#include "model/sr/tiled_upscale.h"

namespace fieldscope {

SrSampler::SrSampler(std::shared_ptr<LoadedSrModel> model, std::shared_ptr<SrPicture> picture)
    : model_(std::move(model)), picture_(std::move(picture)) {
  thread_ = std::thread([this] { run(); });
}

SrSampler::~SrSampler() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
    queue_.clear();
  }
  cancel_ = true;
  wake_.notify_all();
  thread_.join();
}

void SrSampler::setTarget(int64_t outW, int64_t outH, int steps) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (outW == outW_ && outH == outH_ && steps == steps_) return;
  outW_ = outW;
  outH_ = outH;
  steps_ = steps;
  ++generation_;
  queue_.clear();
  known_.clear();
  finished_.clear();
  if (running_ >= 0) cancel_ = true;
}

void SrSampler::request(uint64_t seed) {
  std::lock_guard<std::mutex> lock(mutex_);
  error_.clear();
  if (std::find(known_.begin(), known_.end(), seed) != known_.end()) return;
  known_.push_back(seed);
  queue_.push_back(seed);
  wake_.notify_all();
}

void SrSampler::cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (uint64_t s : queue_) known_.erase(std::remove(known_.begin(), known_.end(), s), known_.end());
  queue_.clear();
  if (running_ >= 0) {
    known_.erase(std::remove(known_.begin(), known_.end(), uint64_t(running_)), known_.end());
    cancel_ = true;
  }
}

std::vector<SrSample> SrSampler::takeFinished() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<SrSample> out;
  out.swap(finished_);
  return out;
}

std::string SrSampler::note() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!error_.empty()) return error_;
  if (running_ < 0) return {};
  std::string s = "sampling seed " + std::to_string(running_);
  if (totalSteps_ > 0) s += ": step " + std::to_string(step_.load()) + "/" + std::to_string(totalSteps_.load());
  else s += ": encoding the picture";
  if (!queue_.empty()) s += ", " + std::to_string(queue_.size()) + " more queued";
  return s;
}

bool SrSampler::busy() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_ >= 0 || !queue_.empty();
}

void SrSampler::run() {
  torch::NoGradGuard noGrad;
  torch::Tensor cond;  // the decoder-only latent of the current target
  uint64_t condGeneration = ~uint64_t(0);
  for (;;) {
    uint64_t seed, generation;
    int64_t outW, outH;
    int steps;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return quit_ || !queue_.empty(); });
      if (quit_) return;
      seed = queue_.front();
      queue_.pop_front();
      running_ = int64_t(seed);
      generation = generation_;
      outW = outW_;
      outH = outH_;
      steps = steps_;
      cancel_ = false;
      step_ = 0;
      totalSteps_ = 0;
    }
    const auto t0 = std::chrono::steady_clock::now();
    try {
      const SrAeConfig& config = model_->ae->config();
      const TileSpec tiles = upscaleTiles(config);
      if (condGeneration != generation) {
        cond = encodeUpsampledTiled(model_->ae, picture_->planes.rgb, outW, outH, tiles, {{}, &cancel_});
        condGeneration = cond.defined() ? generation : ~uint64_t(0);
      }
      torch::Tensor z;
      if (cond.defined()) {
        SrSampling s;
        s.steps = steps;
        s.cancel = &cancel_;
        s.onStep = [&](int done, int total) {
          step_ = done;
          totalSteps_ = total;
        };
        totalSteps_ = steps;
        z = sampleSrLatents(*model_->diffusion, cond, {seed}, s);
      }
      std::lock_guard<std::mutex> lock(mutex_);
      if (z.defined() && generation == generation_) {
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        finished_.push_back({seed, std::make_shared<SrField>(model_->ae, picture_->planes.rgb, outW, outH,
                                                             int64_t(256) << 20, z),
                             seconds});
      }
      running_ = -1;
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mutex_);
      error_ = std::string("sampling failed: ") + e.what();
      running_ = -1;
    }
  }
}

}  // namespace fieldscope
