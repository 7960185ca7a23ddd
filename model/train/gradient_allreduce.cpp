#include "model/train/gradient_allreduce.h"

#include <torch/torch.h>

#include <mutex>
#include <stdexcept>

#include "model/train/process_group.h"

namespace fieldscope {

struct GradientAllReduce::State {
  struct Param {
    torch::Tensor tensor;
    size_t bucket;
    int64_t offset, numel;
    unsigned hook;
    bool arrived = false;
  };
  struct Bucket {
    torch::Tensor flat;
    std::vector<size_t> params;
    size_t pending = 0;
    c10::intrusive_ptr<c10d::Work> work;
  };
  TrainingGroup& group;
  std::vector<Param> params;
  std::vector<Bucket> buckets;
  std::mutex mutex;
  bool armed = false;
  size_t nextToStart = 0;

  explicit State(TrainingGroup& g) : group(g) {}

  void start(size_t b) {
    std::vector<at::Tensor> t{buckets[b].flat};
    buckets[b].work = group.allReduceAsync(t);
  }

  // Buckets start in order: bucket k only once 0..k-1 have started, on every rank alike.
  void startReady() {
    while (nextToStart < buckets.size() && buckets[nextToStart].pending == 0) start(nextToStart++);
  }

  void onGradient(size_t i, const torch::Tensor& g) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!armed) return;
    Param& p = params[i];
    Bucket& b = buckets[p.bucket];
    torch::NoGradGuard noGrad;
    auto slot = b.flat.narrow(0, p.offset, p.numel);
    if (p.arrived) {  // a second backward in the same step: gradients add up, as in .grad
      if (b.work) throw std::logic_error("a gradient arrived after its bucket's all-reduce had started");
      slot.add_(g.reshape(-1));
      return;
    }
    slot.copy_(g.reshape(-1));
    p.arrived = true;
    --b.pending;
    startReady();
  }
};

GradientAllReduce::GradientAllReduce(TrainingGroup& group, const std::vector<torch::Tensor>& params, int64_t bucketBytes)
    : s_(std::make_unique<State>(group)) {
  std::vector<torch::Tensor> trained;
  for (const auto& p : params)
    if (p.requires_grad()) trained.push_back(p);
  int64_t bucketSize = 0, bucketElements = 0;
  // Backward reaches the last parameters first: they fill the first bucket.
  for (auto it = trained.rbegin(); it != trained.rend(); ++it) {
    const int64_t bytes = it->numel() * static_cast<int64_t>(it->element_size());
    const bool newBucket = s_->buckets.empty() || bucketSize + bytes > bucketBytes ||
                           s_->buckets.back().flat.scalar_type() != it->scalar_type();
    if (newBucket) {
      s_->buckets.push_back({});
      s_->buckets.back().flat = torch::empty({0}, it->options().requires_grad(false));  // its dtype, for now
      bucketSize = 0;
      bucketElements = 0;
    }
    State::Bucket& b = s_->buckets.back();
    s_->params.push_back({*it, s_->buckets.size() - 1, bucketElements, it->numel(), 0});
    b.params.push_back(s_->params.size() - 1);
    bucketSize += bytes;
    bucketElements += it->numel();
  }
  for (auto& b : s_->buckets) {
    const State::Param& last = s_->params[b.params.back()];
    b.flat = torch::zeros({last.offset + last.numel}, b.flat.options());
  }
  for (size_t i = 0; i < s_->params.size(); ++i) {
    State* s = s_.get();
    s_->params[i].hook = s_->params[i].tensor.register_hook([s, i](torch::Tensor g) { s->onGradient(i, g); });
  }
}

GradientAllReduce::~GradientAllReduce() {
  for (auto& p : s_->params) p.tensor.remove_hook(p.hook);
}

void GradientAllReduce::arm() {
  std::lock_guard<std::mutex> lock(s_->mutex);
  for (auto& p : s_->params) p.arrived = false;
  for (auto& b : s_->buckets) {
    b.pending = b.params.size();
    b.work.reset();
  }
  s_->nextToStart = 0;
  s_->armed = true;
}

bool GradientAllReduce::armed() const { return s_->armed; }
int64_t GradientAllReduce::bucketCount() const { return static_cast<int64_t>(s_->buckets.size()); }
int64_t GradientAllReduce::parameterCount() const { return static_cast<int64_t>(s_->params.size()); }

void GradientAllReduce::finish() {
  std::lock_guard<std::mutex> lock(s_->mutex);
  if (!s_->armed) throw std::logic_error("GradientAllReduce::finish without arm()");
  s_->armed = false;
  torch::NoGradGuard noGrad;
  collectiveOrExplain(s_->group, "the gradient all-reduce", [&] {
    s_->group.gradientsReady();
    for (size_t b = s_->nextToStart; b < s_->buckets.size(); ++b) {
      auto& bucket = s_->buckets[b];
      for (size_t i : bucket.params)
        if (!s_->params[i].arrived) s_->buckets[b].flat.narrow(0, s_->params[i].offset, s_->params[i].numel).zero_();
      s_->start(b);
    }
    s_->nextToStart = s_->buckets.size();
    for (auto& bucket : s_->buckets) bucket.work->wait();
  });
  const double inverse = 1.0 / s_->group.world();
  for (auto& p : s_->params) {
    const torch::Tensor mean = s_->buckets[p.bucket].flat.narrow(0, p.offset, p.numel).view(p.tensor.sizes()) * inverse;
    if (p.tensor.grad().defined()) p.tensor.mutable_grad().copy_(mean);
    else p.tensor.mutable_grad() = mean.clone();
  }
}

}  // namespace fieldscope
