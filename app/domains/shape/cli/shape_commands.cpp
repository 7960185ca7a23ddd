#include "app/domains/shape/cli/shape_commands.h"

namespace fieldscope {
void registerShapeCommands(CommandRegistry& registry) { registerShapeDataCommand(registry); }
}  // namespace fieldscope
