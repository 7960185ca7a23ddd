#include "model/sr/sr_ae_config.h"

#include <stdexcept>

#include "model/io/json_integer.h"

namespace fieldscope {

SrAeConfig SrAeConfig::preset_(const std::string& name) {
  SrAeConfig c;
  c.preset = name;
  if (name == "paper") {  // the authors' x4 autoencoder and LIIF head (DESIGN §5.2)
    c.channels = {128, 256, 512};
    c.encoderBlocks = 2;
    c.decoderBlocks = 3;  // num_res_blocks + 1 per decoder level
    c.latentChannels = 3;
    c.featureChannels = 128;
    c.mlpWidth = 256;
    c.mlpHidden = 4;
    c.cropSize = 256;
    c.residual = false;
  } else if (name == "tiny") {
    c.channels = {8, 16, 16};
    c.decoderBlocks = 1;
    c.latentChannels = 4;
    c.featureChannels = 8;
    c.mlpWidth = 16;
    c.mlpHidden = 2;
    c.cropSize = 16;
  } else if (name != "small") {
    throw std::runtime_error("unknown super-resolution preset '" + name + "' (expected paper, small or tiny)");
  }
  return c;
}

nlohmann::json SrAeConfig::toJson() const {
  return {{"preset", preset},
          {"channels", channels},
          {"encoder_blocks", encoderBlocks},
          {"decoder_blocks", decoderBlocks},
          {"latent_channels", latentChannels},
          {"feature_channels", featureChannels},
          {"mlp_width", mlpWidth},
          {"mlp_hidden", mlpHidden},
          {"crop_size", cropSize},
          {"max_train_scale", maxTrainScale},
          {"residual", residual}};
}

SrAeConfig SrAeConfig::fromJson(const nlohmann::json& j) {
  SrAeConfig c;
  try {
    c.preset = j.at("preset").get<std::string>();
    c.channels = jsonIntegerList<int>(j.at("channels"), "channels");
    c.encoderBlocks = jsonInteger<int>(j.at("encoder_blocks"), "encoder_blocks");
    c.decoderBlocks = jsonInteger<int>(j.at("decoder_blocks"), "decoder_blocks");
    c.latentChannels = jsonInteger<int>(j.at("latent_channels"), "latent_channels");
    c.featureChannels = jsonInteger<int>(j.at("feature_channels"), "feature_channels");
    c.mlpWidth = jsonInteger<int>(j.at("mlp_width"), "mlp_width");
    c.mlpHidden = jsonInteger<int>(j.at("mlp_hidden"), "mlp_hidden");
    c.cropSize = jsonInteger<int>(j.at("crop_size"), "crop_size");
    c.maxTrainScale = j.at("max_train_scale").get<double>();
    c.residual = j.at("residual").get<bool>();
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("super-resolution autoencoder config: ") + e.what());
  }
  auto inRange = [](int v, int lo, int hi) { return v >= lo && v <= hi; };
  bool ok = c.channels.size() >= 2 && c.channels.size() <= 4;
  for (int ch : c.channels) ok = ok && inRange(ch, 1, 2048);
  ok = ok && inRange(c.encoderBlocks, 0, 16) && inRange(c.decoderBlocks, 0, 16) && inRange(c.latentChannels, 1, 256) &&
       inRange(c.featureChannels, 1, 2048) && inRange(c.mlpWidth, 1, 4096) && inRange(c.mlpHidden, 0, 16) &&
       inRange(c.cropSize, 8, 4096) && c.cropSize % c.downFactor() == 0 && c.maxTrainScale >= 1 && c.maxTrainScale <= 64;
  if (!ok) throw std::runtime_error("super-resolution autoencoder config: sizes out of range");
  return c;
}

}  // namespace fieldscope
