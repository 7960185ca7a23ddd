#include "model/shape/shape_vae_config.h"

#include <stdexcept>

#include "model/io/json_integer.h"

namespace fieldscope {

ShapeVaeConfig ShapeVaeConfig::preset_(const std::string& name) {
  ShapeVaeConfig c;
  c.preset = name;
  c.decoder = OccupancyDecoderConfig::preset_(name);  // throws for an unknown name
  if (name == "paper") {  // mlvlab/DDMI occupancy sizes: 64^2 planes, latent 3 x 64 x 16^2
    c.pointCount = 3000;
    c.planeChannels = 32;
    c.planeResolution = 64;
    c.vaeChannels = 64;
    c.latentChannels = 64;
    c.queryPoints = 2048;
  } else if (name == "tiny") {
    c.pointCount = 256;
    c.pointHidden = 8;
    c.planeChannels = 8;
    c.planeResolution = 16;
    c.vaeChannels = 8;
    c.latentChannels = 2;
    c.queryPoints = 256;
  }
  return c;
}

nlohmann::json ShapeVaeConfig::toJson() const {
  return {{"preset", preset},
          {"point_count", pointCount},
          {"point_hidden", pointHidden},
          {"plane_channels", planeChannels},
          {"plane_resolution", planeResolution},
          {"vae_channels", vaeChannels},
          {"downsamples", downsamples},
          {"latent_channels", latentChannels},
          {"query_points", queryPoints},
          {"kl_weight", klWeight},
          {"field_channels", decoder.fieldChannels},
          {"mlp_width", decoder.width},
          {"field_resolution", decoder.fieldResolution},
          {"bound", decoder.bound}};
}

ShapeVaeConfig ShapeVaeConfig::fromJson(const nlohmann::json& j) {
  ShapeVaeConfig c;
  try {
    c.preset = j.at("preset").get<std::string>();
    c.pointCount = jsonInteger<int>(j.at("point_count"), "point_count");
    c.pointHidden = jsonInteger<int>(j.at("point_hidden"), "point_hidden");
    c.planeChannels = jsonInteger<int>(j.at("plane_channels"), "plane_channels");
    c.planeResolution = jsonInteger<int>(j.at("plane_resolution"), "plane_resolution");
    c.vaeChannels = jsonInteger<int>(j.at("vae_channels"), "vae_channels");
    c.downsamples = jsonInteger<int>(j.at("downsamples"), "downsamples");
    c.latentChannels = jsonInteger<int>(j.at("latent_channels"), "latent_channels");
    c.queryPoints = jsonInteger<int>(j.at("query_points"), "query_points");
    c.klWeight = j.at("kl_weight").get<double>();
    c.decoder.preset = c.preset;
    c.decoder.fieldChannels = jsonInteger<int64_t>(j.at("field_channels"), "field_channels");
    c.decoder.width = jsonInteger<int64_t>(j.at("mlp_width"), "mlp_width");
    c.decoder.fieldResolution = j.at("field_resolution").get<std::array<int64_t, 3>>();
    c.decoder.bound = j.at("bound").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("shape VAE config: ") + e.what());
  }
  auto positive = [](int64_t v) { return v > 0 && v <= 4096; };
  if (!positive(c.pointCount) || !positive(c.pointHidden) || !positive(c.planeChannels) ||
      !positive(c.planeResolution) || !positive(c.vaeChannels) || !positive(c.latentChannels) ||
      !positive(c.queryPoints) || c.downsamples < 0 || c.downsamples > 6 || !positive(c.decoder.fieldChannels) ||
      !positive(c.decoder.width) || !(c.decoder.bound > 0 && c.decoder.bound < 100) || c.latentResolution() < 1 ||
      c.planeResolution % (1 << c.downsamples) != 0)
    throw std::runtime_error("shape VAE config: sizes out of range");
  for (int k = 0; k < 3; ++k)
    if (c.decoder.fieldResolution[k] != (int64_t(c.latentResolution()) << k))
      throw std::runtime_error("shape VAE config: field resolutions must be the latent resolution x1, x2, x4");
  return c;
}

}  // namespace fieldscope
