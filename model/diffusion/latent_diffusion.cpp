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

void storeDdmiDiffusion(Checkpoint& ckpt, const DdmiUNet& unet) {
  ckpt.config["ldm"] = {{"architecture", "ddmi"},
                        {"unet", unet->config().toJson()},
                        {"latent_scale", 1.0},
                        {"schedule", {{"T", 1000}, {"beta0", 0.0015}, {"beta1", 0.0195}, {"kind", "scaled_linear"}, {"spacing", "ddmi"}}},
                        {"prediction", "epsilon (LSGM mixed: (1 - s) sqrt(1 - abar) x + s eps, s = sigmoid(mixing_logit))"}};
  storeModule(ckpt, "ldm.", *unet);
}

EpsilonFn LatentDiffusion::epsilon() {
  if (ddmiUnet) {
    DdmiUNet net = ddmiUnet;
    return [net](const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& s) mutable { return net->forward(x, t, s); };
  }
  if (!unet) throw std::logic_error("latent diffusion without a UNet");
  UNet net = unet;
  return [net](const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& s) mutable { return net->forward(x, t, s); };
}

LatentDiffusion restoreLatentDiffusion(const Checkpoint& ckpt, bool allowDdmi) {
  const std::string where = "checkpoint '" + ckpt.file.string() + "': ";
  if (!ckpt.config.contains("ldm")) throw std::runtime_error(where + "has no diffusion model (train one with `fieldscope train image-ldm` or `shape-ldm`)");
  LatentDiffusion ld;
  try {
    const auto& j = ckpt.config["ldm"];
    const std::string arch = j.value("architecture", std::string("fieldscope"));
    if (arch == "ddmi" && !allowDdmi) throw std::runtime_error("a DDMI diffusion model is read only as part of an image model");
    if (arch == "ddmi") ld.ddmiUnet = DdmiUNet(DdmiUNetConfig::fromJson(j.at("unet")));
    else if (arch == "fieldscope") ld.unet = UNet(UNetConfig::fromJson(j.at("unet")));
    else throw std::runtime_error("unknown architecture '" + arch + "'");
    ld.latentScale = j.at("latent_scale").get<double>();
    const auto& s = j.at("schedule");
    ld.schedule = DiffusionSchedule::scaledLinear(jsonInteger<int64_t>(s.at("T"), "T"), s.at("beta0").get<double>(), s.at("beta1").get<double>());
    ld.schedule.spacing = s.value("spacing", std::string("even"));
    if (ld.schedule.spacing != "even" && ld.schedule.spacing != "ddmi") throw std::runtime_error("unknown timestep spacing");
  } catch (const std::exception& e) {
    throw std::runtime_error(where + "diffusion config: " + e.what());
  }
  if (!(ld.latentScale > 0) || !std::isfinite(ld.latentScale)) throw std::runtime_error(where + "bad latent_scale");
  if (ld.ddmiUnet) {
    restoreModule(ckpt, "ldm.", *ld.ddmiUnet);
    ld.ddmiUnet->eval();
  } else {
    restoreModule(ckpt, "ldm.", *ld.unet);
    ld.unet->eval();
  }
  return ld;
}

}  // namespace fieldscope
