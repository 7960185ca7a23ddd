#include "model/nerf/nerf_config.h"

#include <stdexcept>

#include "model/io/json_integer.h"

namespace fieldscope {

NerfConfig NerfConfig::preset_(const std::string& name) {
  NerfConfig c;
  c.preset = name;
  if (name == "paper") {  // DESIGN §5.1 "NeRF": 3 x 32 x 64^2, depth 6, width 256, skips 2 and 4, 256 samples
    c.planeChannels = 32;
    c.width = 256;
    c.depth = 6;
    c.skips = {2, 4};
    c.positionFrequencies = 10;
    c.directionFrequencies = 4;
    c.stratifiedSamples = 128;
    c.importanceSamples = 128;
  } else if (name == "tiny") {
    c.planeChannels = 8;
    c.planeResolution = 32;
    c.width = 32;
    c.depth = 2;
    c.skips = {};
    c.positionFrequencies = 4;
    c.directionFrequencies = 1;
    c.stratifiedSamples = 24;
    c.importanceSamples = 24;
  } else if (name != "small") {
    throw std::runtime_error("unknown NeRF preset '" + name + "' (paper, small, tiny)");
  }
  return c;
}

nlohmann::json NerfConfig::toJson() const {
  return {{"preset", preset},
          {"plane_channels", planeChannels},
          {"plane_resolution", planeResolution},
          {"mlp_width", width},
          {"mlp_depth", depth},
          {"skips", skips},
          {"position_frequencies", positionFrequencies},
          {"direction_frequencies", directionFrequencies},
          {"stratified_samples", stratifiedSamples},
          {"importance_samples", importanceSamples},
          {"bound", bound}};
}

NerfConfig NerfConfig::fromJson(const nlohmann::json& j) {
  NerfConfig c;
  try {
    c.preset = j.at("preset").get<std::string>();
    c.planeChannels = jsonInteger<int>(j.at("plane_channels"), "plane_channels");
    c.planeResolution = jsonInteger<int>(j.at("plane_resolution"), "plane_resolution");
    c.width = jsonInteger<int>(j.at("mlp_width"), "mlp_width");
    c.depth = jsonInteger<int>(j.at("mlp_depth"), "mlp_depth");
    c.skips.clear();
    for (const auto& s : j.at("skips")) c.skips.push_back(jsonInteger<int>(s, "skips"));
    c.positionFrequencies = jsonInteger<int>(j.at("position_frequencies"), "position_frequencies");
    c.directionFrequencies = jsonInteger<int>(j.at("direction_frequencies"), "direction_frequencies");
    c.stratifiedSamples = jsonInteger<int>(j.at("stratified_samples"), "stratified_samples");
    c.importanceSamples = jsonInteger<int>(j.at("importance_samples"), "importance_samples");
    c.bound = j.at("bound").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("NeRF config: ") + e.what());
  }
  auto in = [](int v, int lo, int hi) { return v >= lo && v <= hi; };
  bool ok = in(c.planeChannels, 1, 256) && in(c.planeResolution, 2, 1024) && in(c.width, 1, 4096) &&
            in(c.depth, 1, 64) && in(c.positionFrequencies, 0, 20) && in(c.directionFrequencies, 0, 20) &&
            in(c.stratifiedSamples, 2, 4096) && in(c.importanceSamples, 0, 4096) && c.bound > 0 && c.bound < 1000;
  for (int s : c.skips) ok = ok && in(s, 1, c.depth - 1);
  if (!ok) throw std::runtime_error("NeRF config: sizes out of range");
  return c;
}

}  // namespace fieldscope
