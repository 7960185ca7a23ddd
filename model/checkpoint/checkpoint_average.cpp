// Weighted mean of model files' tensors (checkpoint_average.h; docs/architecture.md "Averaging model files").
#include "model/checkpoint/checkpoint_average.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
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
  std::vector<Checkpoint> files;
  files.reserve(sources.size());
  for (const AverageSource& s : sources) {
    files.push_back(loadCheckpoint(s.file));
    if (files.size() > 1) checkSameModel(files.front(), files.back());
  }
  Checkpoint out;
  out.config = files.front().config;
  for (const auto& [name, t] : files.front().tensors) {
    if (!t.is_floating_point()) {
      out.tensors[name] = t;
      continue;
    }
    // Summed in double, so the order of the files does not change the result beyond rounding.
    torch::Tensor acc = torch::zeros(t.sizes(), torch::kFloat64);
    for (size_t i = 0; i < files.size(); ++i)
      acc.add_(files[i].tensors.at(name).to(torch::kFloat64), sources[i].weight / total);
    out.tensors[name] = acc.to(t.scalar_type()).contiguous();
  }
  nlohmann::json record = nlohmann::json::array();
  for (size_t i = 0; i < files.size(); ++i) {
    nlohmann::json s = {{"file", sources[i].file.string()},
                        {"sha256", sha256File(sources[i].file)},
                        {"weight", sources[i].weight / total}};
    for (const auto& [key, value] : files[i].config.items())
      if (key.rfind("training", 0) == 0 || key == "metrics") s[key] = value;
    record.push_back(std::move(s));
  }
  // The first file's measurements hold for the result only where every source measured the same.
  for (const Checkpoint& c : files)
    if (c.config.value("metrics", nlohmann::json()) != out.config.value("metrics", nlohmann::json())) {
      out.config.erase("metrics");
      break;
    }
  out.config["averaged"] = {{"sources", record},
                            {"what", "the floating-point tensors are the weighted mean of the sources'; "
                                     "the training records above are the first source's"}};
  return out;
}

}  // namespace fieldscope
