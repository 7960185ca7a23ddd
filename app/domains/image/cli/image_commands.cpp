#include "app/domains/image/cli/image_commands.h"

namespace fieldscope {
void registerImageCommands(CommandRegistry& registry) {
  registerEmojiDataCommand(registry);
  registerImageTrainCommands(registry);
  registerImageEvalCommand(registry);
  registerImageSampleCommand(registry);
  registerSampleQualityCommands(registry);
  registerImageImportCommand(registry);
}
}  // namespace fieldscope
