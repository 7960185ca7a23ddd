#include "app/cli/model_commands.h"

#include <CLI/CLI.hpp>

namespace fieldscope {
void registerModelCommands(CLI::App& /*app*/) {}
}  // namespace fieldscope
