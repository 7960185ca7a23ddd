#pragma once
// The image domain's headless commands (one .cpp each): `data emoji`, `train image-vae|image-ldm`,
// `eval image`, the image handler of `sample`, `import ddmi`, and the sample-quality metric (`train
// emoji-classifier`, `eval samples`).
namespace fieldscope {
class CommandRegistry;
void registerImageCommands(CommandRegistry& registry);  // all of the below
void registerEmojiDataCommand(CommandRegistry& registry);
void registerImageTrainCommands(CommandRegistry& registry);
void registerImageEvalCommand(CommandRegistry& registry);
void registerImageSampleCommand(CommandRegistry& registry);
void registerSampleQualityCommands(CommandRegistry& registry);  // train emoji-classifier, eval samples
void registerImageImportCommand(CommandRegistry& registry);     // import ddmi
}  // namespace fieldscope
