#include "app/cli/model_commands.h"

#include <CLI/CLI.hpp>

#include "app/cli/model_subcommands.h"

namespace fieldscope {

void registerModelCommands(CLI::App& app, const ModelCommandHooks& hooks) {
  registerDataCommand(app);
  registerTrainCommand(app);
  registerInfoCommand(app);
  registerSampleCommand(app, hooks.viewerRenderer);
  registerEvalCommand(app);
}

}  // namespace fieldscope
