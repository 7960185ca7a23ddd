#pragma once
// Headless model subcommands of `fieldscope` (data, train, info, sample).
namespace CLI { class App; }

namespace fieldscope {
// Registers the subcommands on `app`. Their callbacks throw std::runtime_error with a
// message naming the file and the problem; main() prints it and exits non-zero.
void registerModelCommands(CLI::App& app);
}  // namespace fieldscope
