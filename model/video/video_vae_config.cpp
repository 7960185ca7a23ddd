#include "model/video/video_vae_config.h"

#include <stdexcept>

#include "model/io/json_integer.h"

namespace fieldscope {

VideoVaeConfig VideoVaeConfig::preset_(const std::string& name) {
  VideoVaeConfig c;
  c.preset = name;
  if (name == "paper") {  // DDMI video sizes, at 16 frames of 256^2 (the time rows are halved in the latent here)
    c.size = 256;
    c.channels = 64;
    c.latentChannels = 64;
    c.fieldChannels = 64;
    c.mlpWidth = 256;
    c.queryPixels = 16384;
  } else if (name == "tiny") {
    c.frames = 8;
    c.size = 16;
    c.channels = 8;
    c.latentChannels = 2;
    c.fieldChannels = 4;
    c.mlpWidth = 16;
    c.queryPixels = 256;
  } else if (name != "small") {
    throw std::runtime_error("unknown video preset '" + name + "' (expected paper, small or tiny)");
  }
  return c;
}

nlohmann::json VideoVaeConfig::toJson() const {
  return {{"preset", preset},
          {"frames", frames},
          {"size", size},
          {"channels", channels},
          {"latent_channels", latentChannels},
          {"field_channels", fieldChannels},
          {"mlp_width", mlpWidth},
          {"query_pixels", queryPixels},
          {"kl_weight", klWeight}};
}

VideoVaeConfig VideoVaeConfig::fromJson(const nlohmann::json& j) {
  VideoVaeConfig c;
  try {
    c.preset = j.at("preset").get<std::string>();
    c.frames = jsonInteger<int>(j.at("frames"), "frames");
    c.size = jsonInteger<int>(j.at("size"), "size");
    c.channels = jsonInteger<int>(j.at("channels"), "channels");
    c.latentChannels = jsonInteger<int>(j.at("latent_channels"), "latent_channels");
    c.fieldChannels = jsonInteger<int>(j.at("field_channels"), "field_channels");
    c.mlpWidth = jsonInteger<int>(j.at("mlp_width"), "mlp_width");
    c.queryPixels = jsonInteger<int>(j.at("query_pixels"), "query_pixels");
    c.klWeight = j.at("kl_weight").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("video VAE config: ") + e.what());
  }
  auto inRange = [](int v, int lo, int hi) { return v >= lo && v <= hi; };
  if (!inRange(c.frames, 2, 256) || c.frames % 2 != 0 || !inRange(c.size, 8, 1024) || c.size % 4 != 0 ||
      !inRange(c.channels, 1, 1024) || !inRange(c.latentChannels, 1, 1024) || !inRange(c.fieldChannels, 1, 1024) ||
      !inRange(c.mlpWidth, 1, 4096) || !inRange(c.queryPixels, 1, 1 << 22) || !(c.klWeight >= 0 && c.klWeight < 10))
    throw std::runtime_error("video VAE config: sizes out of range (frames even, size a multiple of 4)");
  return c;
}

}  // namespace fieldscope
