#pragma once
// Sizes of the video VAE (DDMI's video branch, docs/architecture.md "The video domain"; DESIGN §5.1
// "Video"): T frames of S x S RGB -> a frame encoder (a stride-2 convolution to S/2 and a residual block) with a temporal convolution -> three
// feature planes (xy, averaged over time; xt, averaged over rows; yt, averaged over columns) ->
// rolled out one under the other (xy | xt | yt: S/2 + 2T rows of S/2) -> a conv VAE -> the latent,
// rolled the same way (S/4 + T rows of S/4 for one downsampling) -> three levels of basis fields
// (x1, x2, x4 the latent) -> the colour MLP over the planes' concatenated features.
// Stored in every video checkpoint's config.
#include <nlohmann/json.hpp>

#include <string>

namespace fieldscope {

struct VideoVaeConfig {
  std::string preset = "small";
  int frames = 16;          // T, the frames of a training clip (time t in [0, 1]: frame k at k / (T - 1))
  int size = 64;            // S, frames are S x S
  int channels = 32;        // conv width (x2 at the latent resolution)
  int latentChannels = 4;   // of the rolled latent
  int fieldChannels = 16;   // per plane and level (paper: 64)
  int mlpWidth = 64;        // (paper: 256)
  int queryPixels = 4096;   // (x, y, t) samples per clip and training step
  double klWeight = 1e-5;   // on the KL per latent element, relative to the mean L1

  // The latent's rolled layout: xy rows, then xt rows, then yt rows, all latentWidth() wide.
  int latentWidth() const { return size / 4; }
  int latentXyRows() const { return size / 4; }
  int latentTimeRows() const { return frames / 2; }
  int latentRows() const { return latentXyRows() + 2 * latentTimeRows(); }

  static VideoVaeConfig preset_(const std::string& name);  // "paper", "small", "tiny" (tests)
  nlohmann::json toJson() const;
  static VideoVaeConfig fromJson(const nlohmann::json& j);  // throws std::runtime_error on a bad config
};

}  // namespace fieldscope
