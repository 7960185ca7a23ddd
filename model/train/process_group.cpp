#include "model/train/process_group.h"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "model/train/nccl_group.h"

namespace fieldscope {

namespace {

std::chrono::milliseconds millis(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

std::string stepKey(int rank) { return "fieldscope/step/" + std::to_string(rank); }
std::string aliveKey(int rank) { return "fieldscope/alive/" + std::to_string(rank); }

std::string where(const DistributedOptions& o) { return o.host + ":" + std::to_string(o.port); }

}  // namespace

struct TrainingGroup::Impl {
  DistributedOptions options;
  c10::intrusive_ptr<c10d::TCPStore> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
  std::unique_ptr<NcclGroup> nccl;  // set when the first CUDA all-reduce chose NCCL
  bool gpuTransportDecided = false;
  int64_t step = 0;
  // A pulse every second from its own thread: a rank that is stopped (SIGSTOP, a frozen machine)
  // stops pulsing even while it sits in the same collective as the others.
  std::thread pulse;
  std::mutex pulseMutex;
  std::condition_variable pulseWake;
  bool pulseStop = false;

  void startPulse() {
    pulse = std::thread([this] {
      std::unique_lock<std::mutex> lock(pulseMutex);
      while (!pulseStop) {
        try {
          store->add(aliveKey(options.rank), 1);
        } catch (const std::exception&) {
          return;  // the store (rank 0) is gone: the collectives report that
        }
        pulseWake.wait_for(lock, std::chrono::seconds(1), [this] { return pulseStop; });
      }
    });
  }
  ~Impl() {
    {
      std::lock_guard<std::mutex> lock(pulseMutex);
      pulseStop = true;
    }
    pulseWake.notify_all();
    if (pulse.joinable()) pulse.join();
  }

  // At the first all-reduce of a CUDA tensor on `device`: NCCL or Gloo, the same on every rank.
  // Each rank publishes its host, GPU and FIELDSCOPE_NCCL, then reads every rank's.
  void decideGpuTransport(int device) {
    std::string why;
    if (!NcclGroup::compiled()) {
      why = "this LibTorch build has no NCCL";
    } else {
      const char* env = std::getenv("FIELDSCOPE_NCCL");
      const bool off = env != nullptr && std::string(env) == "0";
      char host[256] = {};
      ::gethostname(host, sizeof(host) - 1);
      const std::string mine = std::string(off ? "0" : "1") + std::string(host) + "/GPU " + std::to_string(device);
      store->set("fieldscope/gpu/" + std::to_string(options.rank), std::vector<uint8_t>(mine.begin(), mine.end()));
      std::set<std::string> gpus;
      for (int r = 0; r < options.world && why.empty(); ++r) {
        const std::vector<uint8_t> v = store->get("fieldscope/gpu/" + std::to_string(r));
        const std::string theirs(v.begin(), v.end());
        if (theirs.empty() || theirs[0] == '0') why = "FIELDSCOPE_NCCL=0 on rank " + std::to_string(r);
        else if (!gpus.insert(theirs.substr(1)).second)
          why = "two ranks share " + theirs.substr(1) + " (NCCL needs one GPU per rank)";
      }
    }
    if (why.empty()) {
      nccl = std::make_unique<NcclGroup>(store, options.rank, options.world, options.timeoutSeconds);
    }
    gpuTransportDecided = true;
    if (options.rank == 0)
      std::fprintf(stderr, "gradients on the GPUs are summed through %s\n",
                   why.empty() ? "NCCL" : ("Gloo: " + why).c_str());
  }

  void tell(int64_t progress) {
    const std::string v = std::to_string(progress);
    store->set(stepKey(options.rank), std::vector<uint8_t>(v.begin(), v.end()));
  }
};

TrainingGroup::TrainingGroup(const DistributedOptions& o) : impl_(std::make_unique<Impl>()) {
  if (o.world < 2 || o.rank < 0 || o.rank >= o.world)
    throw std::runtime_error("rank " + std::to_string(o.rank) + " is not a rank of a job of " + std::to_string(o.world));
  if (o.port <= 0 || o.port > 65535) throw std::runtime_error("the rendezvous port " + std::to_string(o.port) + " is not a TCP port");
  impl_->options = o;
  try {
    c10d::TCPStoreOptions so;
    so.port = static_cast<uint16_t>(o.port);
    so.isServer = o.rank == 0;
    so.numWorkers = o.world;
    so.waitWorkers = true;
    so.timeout = millis(o.timeoutSeconds);
    impl_->store = c10::make_intrusive<c10d::TCPStore>(o.host, so);
    auto go = c10d::ProcessGroupGloo::Options::create(millis(o.timeoutSeconds));
    // Every rank binds to the address its peers reach it by: the loopback for a local job,
    // the machine's own address (its host name) when the rendezvous is elsewhere.
    const bool local = o.host == "127.0.0.1" || o.host == "localhost";
    go->devices.push_back(local ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                                : c10d::ProcessGroupGloo::createDefaultDevice());
    impl_->group = c10::make_intrusive<c10d::ProcessGroupGloo>(impl_->store, o.rank, o.world, go);
    impl_->startPulse();
  } catch (const std::exception& e) {
    throw std::runtime_error("rank " + std::to_string(o.rank) + ": the training job of " + std::to_string(o.world) +
                             " processes did not assemble at " + where(o) + " within " +
                             std::to_string(static_cast<int>(o.timeoutSeconds)) + " s: " + e.what());
  }
}

TrainingGroup::~TrainingGroup() = default;

int TrainingGroup::rank() const { return impl_->options.rank; }
int TrainingGroup::world() const { return impl_->options.world; }
const DistributedOptions& TrainingGroup::options() const { return impl_->options; }
c10::intrusive_ptr<c10d::Work> TrainingGroup::allReduceAsync(std::vector<at::Tensor>& tensors) {
  if (!tensors.empty() && tensors[0].is_cuda()) {
    if (!impl_->gpuTransportDecided) impl_->decideGpuTransport(tensors[0].device().index());
    if (impl_->nccl) return impl_->nccl->allreduce(tensors);
  }
  return impl_->group->allreduce(tensors);
}

void TrainingGroup::allReduceSum(std::vector<double>& values) {
  if (values.empty()) return;
  std::vector<at::Tensor> t{torch::tensor(values, torch::kFloat64)};
  impl_->group->allreduce(t)->wait();
  const double* p = t[0].data_ptr<double>();
  for (size_t i = 0; i < values.size(); ++i) values[i] = p[i];
}

void TrainingGroup::broadcastFromRank0(const std::vector<torch::Tensor>& tensors) {
  // One collective per tensor (a c10d call's tensor list means one tensor per device); once per run.
  for (const auto& x : tensors) {
    if (!x.is_contiguous()) throw std::logic_error("broadcastFromRank0: a tensor is not contiguous");
    std::vector<at::Tensor> t{x.detach()};
    impl_->group->broadcast(t)->wait();
  }
}

std::string TrainingGroup::shareFromRank0(const std::string& key, const std::string& bytes) {
  const std::string k = "fieldscope/share/" + key;
  if (rank() == 0) {
    impl_->store->set(k, std::vector<uint8_t>(bytes.begin(), bytes.end()));
    return bytes;
  }
  const std::vector<uint8_t> got = impl_->store->get(k);
  return {got.begin(), got.end()};
}

void TrainingGroup::beginStep(int64_t step) { impl_->step = step; }

// Progress 2k+1: the backward of step k is done (the all-reduces follow); 2k+2: step k is done.
void TrainingGroup::gradientsReady() { impl_->tell(2 * impl_->step + 1); }
void TrainingGroup::endStep() { impl_->tell(2 * impl_->step + 2); }

namespace {

std::string progressText(int64_t p) {
  if (p < 0) return "has not finished its first step";
  if (p % 2 == 1) return "is in the all-reduces of step " + std::to_string(p / 2 + 1) + " (its backward is done)";
  return "computes step " + std::to_string(p / 2 + 1);
}

}  // namespace

std::string TrainingGroup::lagging() {
  try {
    impl_->store->setTimeout(std::chrono::seconds(5));
    auto counter = [&](const std::string& key) -> int64_t {
      if (!impl_->store->check({key})) return -1;
      const std::vector<uint8_t> v = impl_->store->get(key);
      return std::stoll(std::string(v.begin(), v.end()));
    };
    std::vector<int64_t> before;
    for (int r = 0; r < world(); ++r) before.push_back(counter(aliveKey(r)));
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // two pulses of a live rank
    std::string all, silent;
    for (int r = 0; r < world(); ++r) {
      const std::string name = "rank " + std::to_string(r);
      all += (all.empty() ? "" : "; ") + name + " " + progressText(counter(stepKey(r)));
      if (r != rank() && counter(aliveKey(r)) == before[size_t(r)])
        silent += (silent.empty() ? "" : ", ") + name;
    }
    return (silent.empty() ? "" : silent + " stopped answering (not one pulse in 2.5 s); ") + "last heard: " + all;
  } catch (const std::exception&) {
    return "the rendezvous at " + where(impl_->options) + " (rank 0) does not answer either";
  }
}

namespace {

std::string explainCollectiveFailure(TrainingGroup& g, const char* what, const std::exception& e) {
  std::string cause = e.what();
  // c10::Error appends a C++ backtrace after the first line: the first line is the cause.
  if (const auto nl = cause.find('\n'); nl != std::string::npos) cause.resize(nl);
  return "rank " + std::to_string(g.rank()) + " of " + std::to_string(g.world()) + ": " + what + " failed (" + cause +
         "); " + g.lagging();
}

}  // namespace

void collectiveOrExplain(TrainingGroup& g, const char* what, const std::function<void()>& collective) {
  try {
    collective();
  } catch (const std::exception& e) {
    throw std::runtime_error(explainCollectiveFailure(g, what, e));
  }
}

}  // namespace fieldscope
