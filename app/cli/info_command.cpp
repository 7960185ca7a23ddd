// fieldscope info FILE: a checkpoint's card.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "app/cli/compute_flags.h"
#include "app/cli/model_subcommands.h"
#include "model/checkpoint/checkpoint.h"

namespace fieldscope {

void registerInfoCommand(CLI::App& app) {
  auto file = std::make_shared<std::string>();
  CLI::App* info = app.add_subcommand("info", "print a checkpoint's model card");
  info->add_option("file", *file, "checkpoint (.fsm)")->required();
  info->callback([file] {
    const Checkpoint c = loadCheckpoint(*file);
    int64_t params = 0, bytes = 0;
    for (const auto& [name, t] : c.tensors) {
      if (name != "optimizer") params += t.numel();
      bytes += t.numel() * t.element_size();
    }
    std::printf("file:        %s (%.2f MB)\n", file->c_str(), std::filesystem::file_size(*file) / 1e6);
    std::printf("format:      Fieldscope checkpoint v%u\n", kCheckpointFormatVersion);
    std::printf("domain:      %s\n", c.config.value("domain", "?").c_str());
    std::printf("kind:        %s\n", c.config.value("kind", "?").c_str());
    std::printf("preset:      %s\n", c.config.value("preset", "?").c_str());
    std::printf("tensors:     %zu (%lld values, %.2f MB)\n", c.tensors.size(), static_cast<long long>(params), bytes / 1e6);
    std::printf("this run:    %s\n", threadChoiceText().c_str());
    if (c.config.contains("metrics")) std::printf("metrics:     %s\n", c.config["metrics"].dump().c_str());
    const auto arch = c.config.contains("vae") ? c.config["vae"].value("architecture", std::string("fieldscope")) : "";
    if (arch == "ddmi") std::printf("architecture: ddmi — the DDMI authors' modules, block for block (faithful)\n");
    if (c.config.contains("imported") && c.config["imported"].contains("sources"))
      for (const auto& s : c.config["imported"]["sources"])
        std::printf("source:      %s (sha256 %s)\n", s.value("file", "?").c_str(), s.value("sha256", "?").c_str());
    if (c.config.contains("averaged") && c.config["averaged"].contains("sources"))
      for (const auto& s : c.config["averaged"]["sources"])
        std::printf("averaged:    %s (weight %.3g, sha256 %s)\n", s.value("file", "?").c_str(), s.value("weight", 0.0),
                    s.value("sha256", "?").c_str());
    std::printf("config:\n%s\n", c.config.dump(2).c_str());
  });
}

}  // namespace fieldscope
