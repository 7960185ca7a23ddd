#include "app/domains/shape/cli/shape_commands.h"

namespace fieldscope {
void registerShapeCommands(CommandRegistry& registry) {
  registerShapeDataCommand(registry);
  registerShapeTrainCommands(registry);
  registerShapeSampleCommand(registry);
  registerShapeEncodeCommand(registry);
  registerShapeEvalCommand(registry);
}
}  // namespace fieldscope
