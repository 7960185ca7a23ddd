#pragma once
// The shape domain's headless commands (one .cpp each): `data shapes` so far; training and the
// `sample` handler come with the shape model (issue 12).
namespace fieldscope {
class CommandRegistry;
void registerShapeCommands(CommandRegistry& registry);  // all of the below
void registerShapeDataCommand(CommandRegistry& registry);
}  // namespace fieldscope
