#pragma once
// One registration function per headless model command (one .cpp each).
#include <string>

#include "app/cli/model_commands.h"

namespace CLI { class App; }

namespace fieldscope {
void registerDataCommand(CLI::App& app);    // fieldscope data emoji -o DIR
void registerTrainCommand(CLI::App& app);   // fieldscope train image-vae | image-ldm
void registerInfoCommand(CLI::App& app);    // fieldscope info FILE
void registerSampleCommand(CLI::App& app, ViewerRegionRenderer viewer);  // fieldscope sample --model M --seed N ...
void registerEvalCommand(CLI::App& app);    // fieldscope eval image --model M --data DIR

// The command line of this process (for checkpoints' records), from /proc/self/cmdline.
std::string currentCommandLine();
}  // namespace fieldscope
