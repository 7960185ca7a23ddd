#pragma once
// The video domain's headless commands (one .cpp each): `data clips`, `train video-vae|video-ldm`,
// and the video handler of `sample` (docs/architecture.md "Commands").
namespace fieldscope {
class CommandRegistry;
void registerVideoCommands(CommandRegistry& registry);  // all of the below
void registerVideoDataCommand(CommandRegistry& registry);
void registerVideoTrainCommands(CommandRegistry& registry);
void registerVideoSampleCommand(CommandRegistry& registry);
}  // namespace fieldscope
