#include "app/domains/video/cli/video_commands.h"

namespace fieldscope {
void registerVideoCommands(CommandRegistry& registry) {
  registerVideoDataCommand(registry);
  registerVideoTrainCommands(registry);
  registerVideoSampleCommand(registry);
}
}  // namespace fieldscope
