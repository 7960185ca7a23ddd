#pragma once
// The NeRF domain's headless commands (one .cpp each): `data scenes`, `fit nerf`, `train nerf-planes | nerf-vae | nerf-ldm`, and the NeRF
// handler of `sample` (docs/architecture.md "Commands", "The NeRF domain").
namespace fieldscope {
class CommandRegistry;
void registerNerfCommands(CommandRegistry& registry);  // all of the below
void registerNerfDataCommand(CommandRegistry& registry);
void registerNerfFitCommand(CommandRegistry& registry);
void registerNerfTrainCommands(CommandRegistry& registry);
void registerNerfSampleCommand(CommandRegistry& registry);
}  // namespace fieldscope
