#include "app/cli/command_registry.h"

#include <CLI/CLI.hpp>

#include <stdexcept>

#include "app/cli/seed_flag.h"
#include "model/checkpoint/checkpoint_peek.h"

namespace fieldscope {

CommandRegistry::CommandRegistry(CLI::App& app, ModelCommandHooks hooks)
    : app_(app), hooks_(std::move(hooks)), common_(std::make_shared<SampleCommon>()) {
  sample_ = app.add_subcommand("sample", "sample a model (its domain decides what is written: PNG, ...)");
  SampleCommon& c = *common_;
  sample_->add_option("--model", c.model, "model checkpoint (.fsm)")->required();
  sample_->add_option("-o,--out", c.out, "output file")->required();
  sample_->add_option("--seed", c.seed, "seed, 0..18446744073709551615 (grid: first seed)")
      ->default_val(0)
      ->check(seedValidator());
  sample_->add_option("--steps", c.steps, "DDIM steps")->default_val(50)->check(CLI::Range(1, 1000));
  sample_->add_option("--eta", c.eta, "DDIM eta (0: deterministic path)")->default_val(0.f)->check(CLI::Range(0.f, 1.f));
  sample_->add_option("--size", c.size, "output size WxH");
  sample_->add_option("--threads", c.threads, "torch threads (default: all cores)");
  sample_->add_flag("--yes", c.yes, "start a large job (a --grid of more than 64 seeds) without asking");
  addComputeFlags(*sample_, c.compute);
  sample_->callback([this] { dispatchSample(); });
}

CLI::App* CommandRegistry::verb(const std::string& name, const std::string& description) {
  auto it = verbs_.find(name);
  if (it != verbs_.end()) return it->second;
  CLI::App* v = app_.add_subcommand(name, description);
  v->require_subcommand(1);
  verbs_[name] = v;
  return v;
}

std::shared_ptr<std::string> CommandRegistry::sampleOption(const std::string& name, const std::string& help) {
  auto it = sampleOptions_.find(name);
  if (it != sampleOptions_.end()) return it->second;
  auto value = std::make_shared<std::string>();
  sample_->add_option(name, *value, help);
  sampleOptions_[name] = value;
  return value;
}

void CommandRegistry::onSample(const std::string& domain, std::function<void()> run) {
  sampleHandlers_[domain] = std::move(run);
}

void CommandRegistry::dispatchSample() const {
  const std::string domain = checkpointDomain(common_->model);
  auto it = sampleHandlers_.find(domain);
  if (it == sampleHandlers_.end()) {
    std::string known;
    for (const auto& [name, run] : sampleHandlers_) known += (known.empty() ? "" : ", ") + name;
    throw std::runtime_error("'" + common_->model + "' is a model of the domain '" + domain +
                             "', which `sample` does not know (it samples: " + known + ")");
  }
  it->second();
}

}  // namespace fieldscope
