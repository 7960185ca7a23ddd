#pragma once
// Sizes of a NeRF field (docs/architecture.md "The NeRF domain"; DESIGN §5.1 "NeRF"): a triplane
// of 3 planes x planeChannels x R^2 (no hierarchy), the three planes' features concatenated with
// Fourier features of the position, through an MLP (density by softplus), then with Fourier
// features of the view direction to a colour (sigmoid). Rays are sampled inside the scene box
// [-bound, bound]^3: stratified samples, then importance samples from their weights. Stored in
// every NeRF checkpoint's config.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fieldscope {

struct NerfConfig {
  std::string preset = "small";
  int planeChannels = 16;    // per plane (paper: 32)
  int planeResolution = 64;  // R (paper: 64)
  int width = 64;            // MLP width (paper: 256)
  int depth = 4;             // MLP layers before the density (paper: 6)
  std::vector<int> skips{2};  // layers that see the input again (paper: 2 and 4)
  int positionFrequencies = 6;   // Fourier features of xyz (paper: 10)
  int directionFrequencies = 2;  // of the view direction (paper: 4)
  int stratifiedSamples = 48;    // per ray (paper: 256)
  int importanceSamples = 48;    // per ray, drawn from the stratified samples' weights
  double bound = 1.5;            // the scene box's half extent (world units)

  int featureChannels() const { return 3 * planeChannels; }
  int positionEncodingSize() const { return 3 + 6 * positionFrequencies; }
  int directionEncodingSize() const { return 3 + 6 * directionFrequencies; }
  static NerfConfig preset_(const std::string& name);  // "paper", "small", "tiny" (tests)
  nlohmann::json toJson() const;
  static NerfConfig fromJson(const nlohmann::json& j);  // throws std::runtime_error on a bad config
};

}  // namespace fieldscope
