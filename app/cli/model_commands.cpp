#include "app/cli/model_commands.h"

#include <CLI/CLI.hpp>

#include "app/cli/command_registry.h"
#include "app/cli/model_subcommands.h"

namespace fieldscope {

std::unique_ptr<CommandRegistry> registerModelCommands(CLI::App& app, const DomainList& domains,
                                                       const ModelCommandHooks& hooks) {
  auto registry = std::make_unique<CommandRegistry>(app, hooks);
  registerInfoCommand(app);
  registerAverageCommand(app);
  for (const DomainEntry& d : domains)
    if (d.registerCommands) d.registerCommands(*registry);
  return registry;
}

}  // namespace fieldscope
