#pragma once
// Sizes of the image D2C-VAE (docs/architecture.md "Models"). Stored in every checkpoint's config.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fieldscope {

struct ImageVaeConfig {
  std::string preset = "small";
  int resolution = 64;                  // training resolution (si = 1 here)
  int patch = 2;                        // pixel (un)shuffle factor at the input/output (1: none)
  int baseChannels = 32;                // encoder/decoder width at the first level
  std::vector<int> channelMult{1, 2};   // one entry per level; len-1 downsamplings
  int numResBlocks = 1;
  int latentChannels = 4;
  int fieldChannels = 16;               // channels of each of the three basis fields
  int mlpWidth = 32;                    // CFC MLP width
  int layersPerBlock = 1;               // modulated layers in each CFC block
  int styleDim = 32;                    // width of the si style network
  double klWeight = 1e-5;
  double minScale = 0.5;                // smallest si seen in training (render at 2x)
  // "fieldscope": this project's wiring; "ddmi": the authors' image modules block for block
  // (docs/architecture.md "The faithful DDMI architecture"; model/image/ddmi_*). Stored only when "ddmi".
  std::string architecture = "fieldscope";
  int zChannels = 0;                    // ddmi: the decoder's input width after post_quant_conv
  bool clampScale = true;               // si clamped to [minScale, 1] at render time (ddmi files: no clamp)

  bool ddmi() const { return architecture == "ddmi"; }

  int latentResolution() const { return (resolution / patch) >> (channelMult.size() - 1); }
  static ImageVaeConfig preset_(const std::string& name);  // "small", "paper", "tiny" and "ddmi-tiny" (tests)
  nlohmann::json toJson() const;
  static ImageVaeConfig fromJson(const nlohmann::json& j);  // throws on missing/invalid fields
};

}  // namespace fieldscope
