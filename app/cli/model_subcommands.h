#pragma once
// Headless commands that belong to no one domain (one .cpp each).
#include <string>

namespace CLI { class App; }

namespace fieldscope {
void registerInfoCommand(CLI::App& app);     // fieldscope info FILE
void registerAverageCommand(CLI::App& app);  // fieldscope average FILES -o OUT

// The command line of this process (for checkpoints' records), from /proc/self/cmdline.
std::string currentCommandLine();
}  // namespace fieldscope
