// fieldscope import ddmi --vae model-last.pt --config afhq.yaml -o afhq.fsm: the DDMI authors'
// released image checkpoint as a Fieldscope model file (model/image/ddmi_import.h).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "app/cli/command_registry.h"
#include "app/cli/long_run.h"
#include "app/domains/image/cli/image_commands.h"
#include "model/checkpoint/checkpoint.h"
#include "model/image/ddmi_import.h"

namespace fieldscope {

void registerImageImportCommand(CommandRegistry& registry) {
  struct Opts {
    std::string vae, ldm, config, out;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* im = registry.verb("import", "turn another tool's checkpoint into a Fieldscope model file");
  CLI::App* dd = im->add_subcommand("ddmi", "the DDMI authors' image checkpoint (torch.save files; no Python needed)");
  dd->add_option("--vae", o->vae, "their stage-1 model-last.pt (entries model and mlp)");
  dd->add_option("--ldm", o->ldm, "their stage-2 ldm-last.pt, or the Hugging Face release's pytorch_model.bin (the diffusion model's EMA weights; its VAE copy when no --vae)");
  dd->add_option("--config", o->config, "their YAML config (configs/d2c-vae/NAME.yaml or configs/ldm/NAME.yaml)")->required();
  dd->add_option("-o,--out", o->out, "the .fsm to write")->required();
  dd->callback([o] {
    LongRun run("tensors", /*stoppable=*/false);  // nothing is written before the end: Ctrl-C just ends it
    std::string unit;
    WorkProgress line;
    Checkpoint ckpt = importDdmiImage({o->vae, o->config, o->ldm}, [&](const std::string& u, int64_t done, int64_t total) {
      if (u != unit) line = run.progress(unit = u);
      line(done, total);
    });
    saveCheckpoint(o->out, ckpt);  // atomic: a temporary file, then a rename
    run.finish(false, "");
    const auto& vae = ckpt.config.at("vae");
    std::printf("wrote %s: the faithful DDMI image %s (%zu tensors, %dx%d, latent %d x %d^2, fields of %d channels)\n",
                o->out.c_str(), ckpt.config.contains("ldm") ? "VAE and diffusion model" : "VAE (reconstruction only: no --ldm)",
                ckpt.tensors.size(), vae.at("resolution").get<int>(), vae.at("resolution").get<int>(),
                vae.at("latent_channels").get<int>(), vae.at("resolution").get<int>() / 4, vae.at("field_channels").get<int>());
  });
}

}  // namespace fieldscope
