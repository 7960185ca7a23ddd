#pragma once
// Sizes of the shape VAE (DDMI's occupancy branch, docs/architecture.md "Models"; DESIGN §5.1 "Shape"):
// surface points -> PointNet with local pooling -> three feature planes -> triplane VAE (one set of
// conv weights for the three planes, cross-plane attention at the lowest resolution) -> a latent of
// 3 planes x latentChannels x r x r -> three levels of basis fields per plane -> the occupancy MLP.
// Stored in every shape checkpoint's config.
#include <nlohmann/json.hpp>
#include <string>

#include "model/shape/occupancy_decoder.h"

namespace fieldscope {

struct ShapeVaeConfig {
  std::string preset = "small";
  int pointCount = 1024;        // surface points fed to the encoder (paper: 3000)
  int pointHidden = 32;         // PointNet width (paper: 32, feature dim c 32)
  int planeChannels = 32;       // channels of the PointNet's feature planes
  int planeResolution = 32;     // feature planes are R x R (paper: 64)
  int vaeChannels = 32;         // conv width of the triplane VAE at plane resolution (x2 below)
  int downsamples = 2;          // plane resolution / latent resolution = 2^downsamples
  int latentChannels = 8;       // per plane (paper: 64)
  int queryPoints = 1024;       // labelled points per shape and training step (paper: 2048)
  double klWeight = 1e-4;       // on the summed KL, relative to the mean BCE
  OccupancyDecoderConfig decoder = OccupancyDecoderConfig::preset_("small");

  int latentResolution() const { return planeResolution >> downsamples; }
  static ShapeVaeConfig preset_(const std::string& name);  // "paper", "small", "tiny" (tests)
  nlohmann::json toJson() const;
  static ShapeVaeConfig fromJson(const nlohmann::json& j);  // throws std::runtime_error on a bad config
};

}  // namespace fieldscope
