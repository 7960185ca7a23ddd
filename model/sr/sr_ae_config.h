#pragma once
// Sizes of the super-resolution autoencoder (docs/architecture.md "The super-resolution domain";
// DESIGN §5.2): an encoder x4 down to a deterministic latent, a decoder *without* upsampling that
// turns the latent into a feature map at latent resolution, and a LIIF head that reads the
// feature map at any output resolution. Stored in every SR checkpoint's config ("vae").
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace fieldscope {

struct SrAeConfig {
  std::string preset = "small";
  std::vector<int> channels{32, 64, 96};  // encoder widths per level; a x2 downsampling between levels
  int encoderBlocks = 1;                  // residual blocks per encoder level
  // Residual blocks per decoder stage (no upsampling), at latent resolution. small: 3, the paper's
  // count; photo-sr.fsm's held-out x4 gain over bicubic went from +0.15 to +1.12 dB with them and
  // longer training (assets/models/README.md), for ~45 % more time in `upscale --decoder-only`.
  int decoderBlocks = 3;
  int latentChannels = 12;                // paper: 3 (deterministic)
  int featureChannels = 64;               // the feature map the LIIF head reads (paper: 128)
  int mlpWidth = 64;                      // LIIF MLP hidden width (paper: 256)
  int mlpHidden = 3;                      // LIIF hidden layers (paper: 4)
  int cropSize = 64;                      // training crops (HR) in pixels
  double maxTrainScale = 8;               // LR inputs at random scales in [1, maxTrainScale]
  // The head predicts the difference to the encoder's input (the bicubic upsampling), read
  // bilinearly at the query points, instead of the colour itself: the decoder starts at bicubic
  // quality and learns only the detail (VDSR's global residual). Not the authors' (paper: false).
  bool residual = true;

  int downFactor() const { return 1 << (int(channels.size()) - 1); }  // 4 for three levels

  static SrAeConfig preset_(const std::string& name);  // "paper", "small", "tiny" (tests)
  nlohmann::json toJson() const;
  static SrAeConfig fromJson(const nlohmann::json& j);  // throws std::runtime_error on a bad config
};

}  // namespace fieldscope
