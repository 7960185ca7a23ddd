#include "model/diffusion/latent_diffusion.h"

#include <stdexcept>

#include "model/checkpoint/module_state.h"
#include "model/io/json_integer.h"

namespace fieldscope {

void storeLatentDiffusion(Checkpoint& ckpt, const UNet& unet, double latentScale) {
  ckpt.config["ldm"] = {{"unet", unet->config().toJson()},
                        {"latent_scale", latentScale},
                        {"schedule", {{"T", 1000}, {"beta0", 0.0015}, {"beta1", 0.0195}, {"kind", "scaled_linear"}}},
                        {"prediction", "epsilon (LSGM mixed)"}};
  storeModule(ckpt, "ldm.", *unet);
}

LatentDiffusion restoreLatentDiffusion(const Checkpoint& ckpt) {
  const std::string where = "checkpoint '" + ckpt.file.string() + "': ";
  if (!ckpt.config.contains("ldm")) throw std::runtime_error(where + "has no diffusion model (train one with `fieldscope train image-ldm` or `shape-ldm`)");
  LatentDiffusion ld;
  try {
    const auto& j = ckpt.config["ldm"];
    ld.unet = UNet(UNetConfig::fromJson(j.at("unet")));
    ld.latentScale = j.at("latent_scale").get<double>();
    const auto& s = j.at("schedule");
    ld.schedule = DiffusionSchedule::scaledLinear(jsonInteger<int64_t>(s.at("T"), "T"), s.at("beta0").get<double>(), s.at("beta1").get<double>());
  } catch (const std::exception& e) {
    throw std::runtime_error(where + "diffusion config: " + e.what());
  }
  if (!(ld.latentScale > 0) || !std::isfinite(ld.latentScale)) throw std::runtime_error(where + "bad latent_scale");
  restoreModule(ckpt, "ldm.", *ld.unet);
  ld.unet->eval();
  return ld;
}

}  // namespace fieldscope
