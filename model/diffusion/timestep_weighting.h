#pragma once
// How the latent diffusion trainer weights each item's ε loss by its timestep (docs/architecture.md
// "Training"). Written as a weight of the plain ε loss, as a function of the item's signal-to-noise
// ratio SNR = ᾱ / (1 − ᾱ):
//   uniform        1 (Ho et al. 2020's "simple" loss; every shipped model so far)
//   min-snr:G      min(SNR, G) / SNR (Hang et al. 2023, "Min-SNR-γ", for ε-prediction): the nearly
//                  clean timesteps (SNR > G) count less, so the high-noise ones, where a sample's
//                  layout is decided, get more of the gradient
//   p2:K,G         1 / (K + SNR)^G (Choi et al. 2022, "perception prioritized" weighting, for ε):
//                  weights the coarse, content-deciding steps over the clean-up steps
// min-snr's weights lie in (0, 1] and are 1 where the noise dominates (as p2's with K = 1), so a
// fine-tune keeps its step size where it matters. Only training changes: the model predicts ε either
// way and samples as before.
#include <torch/types.h>

#include <string>

namespace fieldscope {

struct TimestepWeighting {
  enum class Kind { Uniform, MinSnr, P2 };
  Kind kind = Kind::Uniform;
  double gamma = 5;  // min-snr: G; p2: the exponent G
  double k = 1;      // p2: K

  // "uniform", "min-snr:5", "p2:1,1". Throws std::invalid_argument saying what is accepted.
  static TimestepWeighting parse(const std::string& text);
  std::string toString() const;
  bool uniform() const { return kind == Kind::Uniform; }
  // One weight per item for a tensor of SNRs (any shape, float).
  torch::Tensor weights(const torch::Tensor& snr) const;
};

}  // namespace fieldscope
