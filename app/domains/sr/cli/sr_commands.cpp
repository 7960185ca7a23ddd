#include "app/domains/sr/cli/sr_commands.h"

namespace fieldscope {
void registerSrCommands(CommandRegistry& registry) {
  registerSrDataCommand(registry);
  registerSrTrainCommands(registry);
  registerSrUpscaleCommand(registry);
  registerSrEvalCommand(registry);
}
}  // namespace fieldscope
