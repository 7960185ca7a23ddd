#pragma once
// The shape domain's headless commands (one .cpp each): `data shapes`, `train shape-vae|shape-ldm`,
// `encode`, `eval shape`, and the shape handler of `sample` (docs/architecture.md "Commands").
namespace fieldscope {
class CommandRegistry;
void registerShapeCommands(CommandRegistry& registry);  // all of the below
void registerShapeDataCommand(CommandRegistry& registry);
void registerShapeTrainCommands(CommandRegistry& registry);
void registerShapeSampleCommand(CommandRegistry& registry);
void registerShapeEncodeCommand(CommandRegistry& registry);
void registerShapeEvalCommand(CommandRegistry& registry);
}  // namespace fieldscope
