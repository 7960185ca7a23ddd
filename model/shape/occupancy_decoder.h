#pragma once
// The shape model's field readout (DDMI occupancy, docs/architecture.md "Models"): three levels of triplane
// basis fields (xy, xz, yz planes; 64 channels at 16², 32², 64² in the paper), read bilinearly at a
// point's three projections and summed over the planes, then a coarse-to-fine MLP:
//   h = linear(xyz) + resFC(coarse) -> 256; h = resFC([h, middle]); h = resFC([h, fine]);
//   h = resFC(h); logit = linear(relu(h)) -> 1 occupancy logit.
// Points live in the shape box [-bound, bound]^3 (bound 0.55).
#include <torch/nn.h>

#include <array>
#include <string>
#include <vector>

#include "model/nn/res_fc.h"

namespace fieldscope {

struct OccupancyDecoderConfig {
  std::string preset = "small";
  int64_t fieldChannels = 32;
  int64_t width = 64;  // small; the paper 256: a 2-core CPU trains it and bakes 128^3 in seconds
  std::array<int64_t, 3> fieldResolution{8, 16, 32};
  double bound = 0.55;
  static OccupancyDecoderConfig preset_(const std::string& name);  // "paper", "small", "tiny"
};

// levels[k]: 3 x C x r_k x r_k (planes xy, xz, yz), coarse to fine; or N x 3 x C x r_k x r_k for a
// batch of N shapes (training).
struct TriplaneFields {
  std::vector<torch::Tensor> levels;
};


class OccupancyDecoderImpl : public torch::nn::Module {
 public:
  explicit OccupancyDecoderImpl(const OccupancyDecoderConfig& config);
  // points: P x 3 in the shape box -> P occupancy logits; or, for batched fields, N x P x 3 -> N x P.
  torch::Tensor forward(const TriplaneFields& fields, const torch::Tensor& points);
  // Random fields of the configured sizes (benchmarks and tests; a sample comes from the VAE).
  TriplaneFields randomFields(uint64_t seed, const torch::TensorOptions& options) const;
  const OccupancyDecoderConfig& config() const { return config_; }

 private:
  OccupancyDecoderConfig config_;
  torch::nn::Linear pointIn{nullptr}, out{nullptr};
  ResFc coarseIn{nullptr}, middle{nullptr}, fine{nullptr}, last{nullptr};
};
TORCH_MODULE(OccupancyDecoder);

// Sum over the three planes of one triplane level read at points (P x 3, in [-1,1]^3): P x C.
// Batched: planes N x 3 x C x r x r, points N x P x 3 -> N x P x C.
torch::Tensor sampleTriplane(const torch::Tensor& planes, const torch::Tensor& unitPoints);

}  // namespace fieldscope
