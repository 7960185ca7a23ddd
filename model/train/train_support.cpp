#include "model/train/train_support.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include "model/train/training_loop.h"
#include "model/util/cpu_count.h"

namespace fieldscope {

torch::Generator stepGenerator(uint64_t seed, int64_t step) {
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(step) * 0xBF58476D1CE4E5B9ull + 1;
  x ^= x >> 31;
  return at::make_generator<at::CPUGeneratorImpl>(x);
}

int64_t randomIndex(const torch::Generator& gen, int64_t n) {
  return torch::randint(n, {1}, gen, torch::kInt64).item<int64_t>();
}

double randomUniform(const torch::Generator& gen) {
  return torch::rand({1}, gen, torch::kFloat64).item<double>();
}

nlohmann::json trainingRecord(const TrainingRunOptions& run, const TrainingProgress& p, int64_t batch, double lr,
                              const nlohmann::json& own) {
  nlohmann::json r = {{"command", run.commandLine}, {"steps", p.step},     {"batch", batch},
                      {"lr", lr},                   {"seed", run.seed},    {"seconds", p.seconds},
                      {"hardware", hardwareDescription()},                 {"finished", utcTimestamp()}};
  r.update(own);
  return r;
}

std::vector<torch::Tensor> optimizerParameters(torch::optim::Optimizer& opt) {
  std::vector<torch::Tensor> all;
  for (auto& g : opt.param_groups())
    for (auto& p : g.params()) all.push_back(p);
  return all;
}

torch::Tensor optimizerToBytes(torch::optim::Optimizer& opt) {
  torch::serialize::OutputArchive ar;
  opt.save(ar);
  std::ostringstream os;
  ar.save_to(os);
  const std::string s = os.str();
  auto t = torch::empty({static_cast<int64_t>(s.size())}, torch::kUInt8);
  std::memcpy(t.data_ptr(), s.data(), s.size());
  return t;
}

void optimizerFromBytes(torch::optim::Optimizer& opt, const torch::Tensor& bytes) {
  std::string s(static_cast<const char*>(bytes.data_ptr()), bytes.numel());
  std::istringstream is(s);
  torch::serialize::InputArchive ar;
  // The state goes where the parameters are (a state saved on CUDA resumes on the CPU, and back).
  c10::optional<torch::Device> device;
  for (const auto& g : opt.param_groups())
    if (!g.params().empty()) {
      device = g.params().front().device();
      break;
    }
  ar.load_from(is, device);
  opt.load(ar);
}

std::string hardwareDescription() {
  std::ifstream in("/proc/cpuinfo");
  std::string line, model = "unknown CPU";
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  const int threads = torch::get_num_threads();
  return model + ", " + std::to_string(usableCores()) + " usable cores, " + std::to_string(threads) +
         (threads == 1 ? " torch thread" : " torch threads") + ", CPU only";
}

std::string utcTimestamp() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

void checkWritable(const std::filesystem::path& path) {
  auto probe = path;
  probe += ".probe";
  {
    std::ofstream f(probe);
    if (!f) {
      std::error_code ec;
      const auto parent = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
      throw std::runtime_error("cannot write '" + path.string() + "': " +
                               (std::filesystem::is_directory(parent, ec) ? "no permission or not writable"
                                                                          : "folder '" + parent.string() + "' does not exist"));
    }
  }
  std::filesystem::remove(probe);
}

}  // namespace fieldscope
