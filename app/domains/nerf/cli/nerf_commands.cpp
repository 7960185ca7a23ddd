#include "app/domains/nerf/cli/nerf_commands.h"

namespace fieldscope {
void registerNerfCommands(CommandRegistry& registry) {
  registerNerfDataCommand(registry);
  registerNerfFitCommand(registry);
  registerNerfTrainCommands(registry);
  registerNerfSampleCommand(registry);
}
}  // namespace fieldscope
