#include "model/nerf/nerf_vae.h"

#include <torch/torch.h>

#include <stdexcept>

#include "model/checkpoint/module_state.h"
#include "model/io/json_integer.h"

namespace fieldscope {

nlohmann::json NerfVaeConfig::toJson() const {
  return {{"vae_channels", vaeChannels}, {"latent_channels", latentChannels}, {"kl_weight", klWeight}, {"plane_std", planeStd}};
}

NerfVaeConfig NerfVaeConfig::fromJson(const nlohmann::json& j) {
  NerfVaeConfig c;
  try {
    c.vaeChannels = jsonInteger<int>(j.at("vae_channels"), "vae_channels");
    c.latentChannels = jsonInteger<int>(j.at("latent_channels"), "latent_channels");
    c.klWeight = j.at("kl_weight").get<double>();
    c.planeStd = j.at("plane_std").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("NeRF VAE config: ") + e.what());
  }
  if (c.vaeChannels < 1 || c.vaeChannels > 4096 || c.latentChannels < 1 || c.latentChannels > 1024 ||
      !(c.planeStd > 0 && c.planeStd < 1e6) || !(c.klWeight >= 0))
    throw std::runtime_error("NeRF VAE config: sizes out of range");
  return c;
}

ShapeVaeConfig triplaneSizesFor(const NerfConfig& nerf, const NerfVaeConfig& vae) {
  const int R = nerf.planeResolution;
  if (R % 4 != 0 || R < 8)
    throw std::runtime_error("the NeRF VAE needs a plane resolution that is a multiple of 4 (at least 8), not " +
                             std::to_string(R));
  ShapeVaeConfig c;
  c.preset = nerf.preset;
  c.planeChannels = nerf.planeChannels;
  c.planeResolution = R;
  c.vaeChannels = vae.vaeChannels;
  c.downsamples = 2;
  c.latentChannels = vae.latentChannels;
  c.decoder.fieldChannels = nerf.planeChannels;
  c.decoder.fieldResolution = {R / 4, R / 2, R};
  return c;
}

NerfVaeImpl::NerfVaeImpl(const NerfConfig& nerf, const NerfVaeConfig& vae) : nerf_(nerf), vae_(vae) {
  const ShapeVaeConfig sizes = triplaneSizesFor(nerf, vae);
  encoder = register_module("encoder", TriplaneEncoder(sizes));
  decoder = register_module("decoder", TriplaneDecoder(sizes));
}

Posterior NerfVaeImpl::encode(const torch::Tensor& planes) { return encoder->forward(planes / vae_.planeStd); }

torch::Tensor NerfVaeImpl::decode(const torch::Tensor& latent) {
  return decoder->forward(latent).levels.back() * vae_.planeStd;
}

void storeNerfVae(Checkpoint& ckpt, const NerfVae& vae, const NerfMlp& mlp) {
  ckpt.config["nerf"] = vae->nerfConfig().toJson();
  ckpt.config["nerf_vae"] = vae->config().toJson();
  storeModule(ckpt, "vae.", *vae);
  storeModule(ckpt, "mlp.", *mlp);
}

NerfVaeParts restoreNerfVae(const Checkpoint& ckpt) {
  const std::string file = ckpt.file.string();
  if (!ckpt.config.contains("nerf_vae") || !ckpt.config.contains("nerf"))
    throw std::runtime_error("'" + file + "' holds no NeRF VAE (`fieldscope train nerf-vae` makes one)");
  NerfVaeParts p;
  try {
    const NerfConfig nerf = NerfConfig::fromJson(ckpt.config["nerf"]);
    p.vae = NerfVae(nerf, NerfVaeConfig::fromJson(ckpt.config["nerf_vae"]));
    p.mlp = NerfMlp(nerf);
  } catch (const std::exception& e) {
    throw std::runtime_error("'" + file + "': " + e.what());
  }
  restoreModule(ckpt, "vae.", *p.vae);
  restoreModule(ckpt, "mlp.", *p.mlp);
  p.vae->eval();
  p.mlp->eval();
  return p;
}

}  // namespace fieldscope
