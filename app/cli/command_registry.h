#pragma once
// CommandRegistry: the headless verbs every domain shares (docs/architecture.md "Commands").
// `data <set>`, `train <what>`, `eval <what>`: a domain adds its own subcommand to the verb.
// `sample --model M ...`: one command for every domain; the model file's "domain" field picks
// the handler its domain registered, so `sample` of a shape model runs the shape code.
// Options several domains share (--seed, --steps, --size, -o ...) live here once.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "app/cli/compute_flags.h"
#include "app/cli/model_commands.h"

namespace CLI {
class App;
}

namespace fieldscope {

struct SampleCommon {
  std::string model, out;
  uint64_t seed = 0;
  int steps = 50;
  float eta = 0.f;
  std::string size;  // WxH; each domain has its default
  int threads = 0;   // 0: the default
  bool yes = false;  // --yes: start a large job without asking
  ComputeFlags compute;
};

class CommandRegistry {
 public:
  CommandRegistry(CLI::App& app, ModelCommandHooks hooks);
  CLI::App& app() { return app_; }
  const ModelCommandHooks& hooks() const { return hooks_; }
  // A parent verb ("data", "train", "eval"), created on first use; it needs one subcommand.
  CLI::App* verb(const std::string& name, const std::string& description);
  CLI::App* sample() { return sample_; }
  const SampleCommon& sampleCommon() const { return *common_; }
  // A domain-specific `sample` option holding a string (parsed by the domain); several domains
  // asking for the same name share it (the help text of the first one stays).
  std::shared_ptr<std::string> sampleOption(const std::string& name, const std::string& help);
  // Runs `sample` for models of `domain`.
  void onSample(const std::string& domain, std::function<void()> run);

 private:
  void dispatchSample() const;
  CLI::App& app_;
  ModelCommandHooks hooks_;
  CLI::App* sample_ = nullptr;
  std::shared_ptr<SampleCommon> common_;
  std::map<std::string, CLI::App*> verbs_;
  std::map<std::string, std::shared_ptr<std::string>> sampleOptions_;
  std::map<std::string, std::function<void()>> sampleHandlers_;
};

}  // namespace fieldscope
