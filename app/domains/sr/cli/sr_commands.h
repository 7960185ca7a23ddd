#pragma once
// The super-resolution domain's headless commands (one .cpp each): `data photos`,
// `train sr-ae`, `upscale`, `eval sr` (docs/architecture.md "Commands", "The super-resolution domain").
namespace fieldscope {
class CommandRegistry;
void registerSrCommands(CommandRegistry& registry);  // all of the below
void registerSrDataCommand(CommandRegistry& registry);
void registerSrTrainCommands(CommandRegistry& registry);
void registerSrUpscaleCommand(CommandRegistry& registry);
void registerSrEvalCommand(CommandRegistry& registry);
}  // namespace fieldscope
