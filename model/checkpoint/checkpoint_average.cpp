// Weighted mean of model files' tensors (checkpoint_average.h; docs/architecture.md "Averaging model files").
#include "model/checkpoint/checkpoint_average.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "model/io/sha256.h"

namespace fieldscope {
namespace {

bool isRecordKey(const std::string& key) {
  return key.rfind("training", 0) == 0 || key == "metrics" || key == "data" || key == "imported" ||
         key == "averaged";
}

std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

// Equal JSON, except that floating-point numbers need only agree to a relative 1e-5: a quantity the
// trainer measured again on the same data (the latent scale of one VAE over the same pictures) differs
// in its last digits from run to run.
bool sameEntry(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.is_number_float() || b.is_number_float()) {
    if (!a.is_number() || !b.is_number()) return false;
    const double x = a.get<double>(), y = b.get<double>();
    return std::abs(x - y) <= 1e-5 * std::max(std::abs(x), std::abs(y));
  }
  if (a.type() != b.type() || a.size() != b.size()) return false;
  if (a.is_array()) {
    for (size_t i = 0; i < a.size(); ++i)
      if (!sameEntry(a[i], b[i])) return false;
    return true;
  }
  if (a.is_object()) {
    for (const auto& [key, value] : a.items())
      if (!b.contains(key) || !sameEntry(value, b[key])) return false;
    return true;
  }
  return a == b;
}

// The entries that describe the model (not how it was trained) must be equal.
void checkSameModel(const Checkpoint& first, const Checkpoint& other) {
  for (const auto* c : {&first, &other})
    for (const auto& [key, value] : c->config.items()) {
      if (isRecordKey(key)) continue;
      const Checkpoint& peer = c == &first ? other : first;
      if (!peer.config.contains(key) || !sameEntry(peer.config[key], value))
        throw std::runtime_error(quoted(other.file) + " is not the same model as " + quoted(first.file) +
                                 ": their config entry '" + key + "' differs, so their weights cannot be averaged");
    }
  if (first.tensors.size() != other.tensors.size())
    throw std::runtime_error(quoted(other.file) + " has " + std::to_string(other.tensors.size()) + " tensors, " +
                             quoted(first.file) + " has " + std::to_string(first.tensors.size()));
  for (const auto& [name, t] : first.tensors) {
    auto it = other.tensors.find(name);
    if (it == other.tensors.end())
      throw std::runtime_error(quoted(other.file) + " has no tensor '" + name + "' (" + quoted(first.file) + " has)");
    const torch::Tensor& u = it->second;
    if (u.scalar_type() != t.scalar_type() || u.sizes() != t.sizes())
      throw std::runtime_error(quoted(other.file) + ": tensor '" + name + "' is " + std::string(c10::toString(u.scalar_type())) +
                               " " + c10::str(u.sizes()) + ", in " + quoted(first.file) + " it is " +
                               std::string(c10::toString(t.scalar_type())) + " " + c10::str(t.sizes()));
    if (!t.is_floating_point() && !torch::equal(t, u))
      throw std::runtime_error(quoted(other.file) + ": tensor '" + name + "' (" +
                               std::string(c10::toString(t.scalar_type())) + ") differs from " + quoted(first.file) +
                               "'s; only floating-point tensors are averaged");
  }
}

}  // namespace

Checkpoint averageCheckpoints(const std::vector<AverageSource>& sources) {
  if (sources.size() < 2) throw std::runtime_error("averaging needs at least two model files");
  double total = 0;
  for (const AverageSource& s : sources) {
    if (!(s.weight > 0) || !std::isfinite(s.weight))
      throw std::runtime_error("the weight of " + quoted(s.file) + " must be a positive number");
    total += s.weight;
  }
  // One file in memory at a time beside the sums (checkpoint_average.h: about 3x the largest file).
  // `first` keeps the first file's config, its integer tensors and, for the checks, the dtype and
  // shape of its floating-point ones (as meta tensors, which hold no data).
  Checkpoint first = loadCheckpoint(sources.front().file);
  Checkpoint out;
  out.config = first.config;
  std::map<std::string, torch::Tensor> sums;  // double, so the files' order changes only the rounding
  const auto accumulate = [&](const Checkpoint& c, double weight) {
    for (const auto& [name, t] : c.tensors)
      if (t.is_floating_point()) {
        torch::Tensor& sum = sums[name];
        if (!sum.defined()) sum = torch::zeros(t.sizes(), torch::kFloat64);
        sum.add_(t.to(torch::kFloat64), weight);
      }
  };
  nlohmann::json record = nlohmann::json::array();
  const auto recordSource = [&](const Checkpoint& c, const AverageSource& s) {
    nlohmann::json r = {{"file", s.file.string()}, {"sha256", sha256File(s.file)}, {"weight", s.weight / total}};
    for (const auto& [key, value] : c.config.items())
      if (key.rfind("training", 0) == 0 || key == "metrics") r[key] = value;
    record.push_back(std::move(r));
  };
  accumulate(first, sources.front().weight / total);
  recordSource(first, sources.front());
  for (auto& [name, t] : first.tensors)
    if (t.is_floating_point()) t = torch::empty(t.sizes(), t.options().device(torch::kMeta));
  bool sameMetrics = true;
  for (size_t i = 1; i < sources.size(); ++i) {
    const Checkpoint c = loadCheckpoint(sources[i].file);
    checkSameModel(first, c);
    accumulate(c, sources[i].weight / total);
    recordSource(c, sources[i]);
    sameMetrics = sameMetrics && c.config.value("metrics", nlohmann::json()) == first.config.value("metrics", nlohmann::json());
  }
  for (const auto& [name, t] : first.tensors)
    out.tensors[name] = t.is_floating_point() ? sums.at(name).to(t.scalar_type()).contiguous() : t;
  // The first file's measurements hold for the result only where every source measured the same.
  if (!sameMetrics) out.config.erase("metrics");
  out.config["averaged"] = {{"sources", record},
                            {"what", "the floating-point tensors are the weighted mean of the sources'; "
                                     "the training records above are the first source's"}};
  return out;
}

}  // namespace fieldscope
