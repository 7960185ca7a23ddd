// fieldscope average A.fsm B.fsm ... -o OUT.fsm [--weights W,W,...]: one model file whose weights are
// the weighted mean of several files of the same model (model/checkpoint/checkpoint_average.h).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/cli/model_subcommands.h"
#include "model/checkpoint/checkpoint_average.h"
#include "model/util/memory_budget.h"

namespace fieldscope {

void registerAverageCommand(CLI::App& app) {
  struct Options {
    std::vector<std::string> files;
    std::vector<double> weights;
    std::string out;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("average", "average the weights of several files of one model (fine-tunes of "
                                                "one file, say) into a new model file");
  cmd->add_option("files", o->files, "model files (.fsm) of the same domain, structure and classes")->required();
  cmd->add_option("--weights", o->weights, "one relative weight a file (default: equal)")->delimiter(',');
  cmd->add_option("-o,--out", o->out, "the averaged model file (.fsm)")->required();
  cmd->callback([o] {
    if (!o->weights.empty() && o->weights.size() != o->files.size())
      throw std::runtime_error("--weights has " + std::to_string(o->weights.size()) + " values for " +
                               std::to_string(o->files.size()) + " files");
    std::vector<AverageSource> sources;
    std::error_code ec;
    uintmax_t largest = 0;
    for (const auto& f : o->files) {
      const uintmax_t size = std::filesystem::file_size(f, ec);
      if (!ec) largest = std::max(largest, size);  // a file that cannot be read is named by the load
    }
    // The sums in double and one file at a time (checkpoint_average.h).
    refuseBeyondMemory(3 * uint64_t(largest), "averaging " + std::to_string(o->files.size()) + " model files");
    for (size_t i = 0; i < o->files.size(); ++i) {
      if (std::filesystem::equivalent(o->files[i], o->out, ec))
        throw std::runtime_error("-o '" + o->out + "' is one of the files to average; write the result to a new file");
      sources.push_back({o->files[i], o->weights.empty() ? 1.0 : o->weights[i]});
    }
    Checkpoint avg = averageCheckpoints(sources);
    avg.config["averaged"]["command"] = currentCommandLine();
    saveCheckpoint(o->out, avg);
    std::printf("wrote %s: the mean of %zu files (%zu tensors)\n", o->out.c_str(), sources.size(), avg.tensors.size());
  });
}

}  // namespace fieldscope
