#include "model/image/image_vae_config.h"

#include <stdexcept>

#include "model/io/json_integer.h"

namespace fieldscope {

ImageVaeConfig ImageVaeConfig::preset_(const std::string& name) {
  ImageVaeConfig c;
  c.preset = name;
  if (name == "small") return c;
  if (name == "ddmi-small") {  // the paper preset's structure at CPU sizes (docs/training.md "The authors' architecture")
    c = preset_("paper");
    c.preset = name;
    c.resolution = 64;
    c.baseChannels = 32;
    c.channelMult = {1, 2, 2};
    c.numResBlocks = 1;
    c.latentChannels = 4;
    c.zChannels = 32;
    c.fieldChannels = 16;
    c.mlpWidth = 32;
    // A stored switch (docs/training.md "The authors' architecture"): one modulated conv a readout block
    // instead of their three; a 1280x720 readout takes 62 ms against 114 ms (BM_DecodeWhole, 2 threads).
    c.layersPerBlock = 1;
    c.styleDim = 32;
    return c;  // the rest is the paper's: no patch, residual styled blocks with noise, KL 1e-4, no si clamp
  }
  if (name == "paper") {  // the authors' AFHQ model, block for block (architecture "ddmi"; configs/d2c-vae/afhq.yaml)
    c.architecture = "ddmi";
    c.resolution = 256;
    c.patch = 1;
    c.baseChannels = 128;
    c.channelMult = {1, 2, 4};
    c.numResBlocks = 2;
    c.latentChannels = 64;
    c.zChannels = 128;
    c.fieldChannels = 64;
    c.mlpWidth = 256;
    c.layersPerBlock = 3;
    c.styleDim = 256;
    c.klWeight = 1e-4;
    c.clampScale = false;
    return c;
  }
  if (name == "tiny") {  // unit tests: 16² images, trains in seconds
    c.resolution = 16;
    c.patch = 1;
    c.baseChannels = 16;
    c.channelMult = {1, 2};
    c.latentChannels = 8;
    c.fieldChannels = 8;
    c.mlpWidth = 32;
    c.styleDim = 16;
    c.klWeight = 1e-6;
    return c;
  }
  if (name == "ddmi-tiny") {  // unit tests of the faithful architecture: its structure at 16², seconds to train
    c = preset_("paper");
    c.preset = name;
    c.resolution = 16;
    c.baseChannels = 32;
    c.latentChannels = 4;
    c.zChannels = 32;
    c.fieldChannels = 8;
    c.mlpWidth = 32;
    c.styleDim = 32;
    return c;
  }
  throw std::runtime_error("unknown preset '" + name + "' (expected small, ddmi-small or paper)");
}

nlohmann::json ImageVaeConfig::toJson() const {
  nlohmann::json j = {{"preset", preset},           {"resolution", resolution}, {"patch", patch},       {"base_channels", baseChannels},
          {"channel_mult", channelMult}, {"num_res_blocks", numResBlocks}, {"latent_channels", latentChannels},
          {"field_channels", fieldChannels}, {"mlp_width", mlpWidth},     {"layers_per_block", layersPerBlock},
          {"style_dim", styleDim},       {"kl_weight", klWeight},         {"min_scale", minScale}};
  if (ddmi()) {  // this project's own files keep their old config text
    j["architecture"] = architecture;
    j["z_channels"] = zChannels;
    j["clamp_scale"] = clampScale;
  }
  return j;
}

ImageVaeConfig ImageVaeConfig::fromJson(const nlohmann::json& j) {
  ImageVaeConfig c;
  try {
    c.preset = j.at("preset").get<std::string>();
    c.resolution = jsonInteger<int>(j.at("resolution"), "resolution");
    c.patch = jsonInteger<int>(j.at("patch"), "patch");
    c.baseChannels = jsonInteger<int>(j.at("base_channels"), "base_channels");
    c.channelMult = jsonIntegerList<int>(j.at("channel_mult"), "channel_mult");
    c.numResBlocks = jsonInteger<int>(j.at("num_res_blocks"), "num_res_blocks");
    c.latentChannels = jsonInteger<int>(j.at("latent_channels"), "latent_channels");
    c.fieldChannels = jsonInteger<int>(j.at("field_channels"), "field_channels");
    c.mlpWidth = jsonInteger<int>(j.at("mlp_width"), "mlp_width");
    c.layersPerBlock = jsonInteger<int>(j.at("layers_per_block"), "layers_per_block");
    c.styleDim = jsonInteger<int>(j.at("style_dim"), "style_dim");
    c.klWeight = j.at("kl_weight").get<double>();
    c.minScale = j.at("min_scale").get<double>();
    c.architecture = j.value("architecture", std::string("fieldscope"));
    if (c.ddmi()) {
      c.zChannels = jsonInteger<int>(j.at("z_channels"), "z_channels");
      c.clampScale = j.at("clamp_scale").get<bool>();
    }
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("VAE config is incomplete: ") + e.what());
  }
  if (c.architecture != "fieldscope" && c.architecture != "ddmi")
    throw std::runtime_error("VAE config: unknown architecture '" + c.architecture + "' (expected fieldscope or ddmi)");
  if (c.ddmi() && (c.channelMult.size() != 3 || c.patch != 1 || c.zChannels < 1 || c.baseChannels % 32 != 0 || c.layersPerBlock > 3))
    throw std::runtime_error("VAE config: a ddmi model needs three levels, no patch, z_channels, widths in multiples of 32 "
                             "and 1-3 layers per readout block");
  if (c.channelMult.size() != 2 && c.channelMult.size() != 3)
    throw std::runtime_error("VAE config: channel_mult must have 2 or 3 levels");
  if (c.resolution < 8 || c.resolution > 4096 || c.baseChannels < 1 || c.latentChannels < 1 || c.fieldChannels < 1 ||
      c.mlpWidth < 1 || c.layersPerBlock < 1 || c.styleDim < 1 || c.numResBlocks < 1 || c.minScale <= 0 ||
      c.minScale > 1 || c.patch < 1 || c.patch > 4 || c.resolution % (c.patch << (c.channelMult.size() - 1)) != 0)
    throw std::runtime_error("VAE config has an out-of-range size");
  return c;
}

}  // namespace fieldscope
