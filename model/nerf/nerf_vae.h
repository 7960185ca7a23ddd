#pragma once
// The NeRF VAE (docs/architecture.md "The NeRF domain"; DESIGN §5.1): a fitted scene's triplane
// (3 x C x R x R, from auto-decoding) -> the shape domain's triplane encoder (one set of conv
// weights for the three planes, cross-plane attention at the lowest resolution) -> a posterior
// over 3 x Cz x (R/4)^2 -> the shape domain's triplane decoder, whose finest field (R x R, C
// channels) is the scene's triplane again, read by the set's shared NeRF MLP. Planes enter divided
// by their measured standard deviation and leave multiplied by it. Inside a checkpoint:
// config["nerf_vae"] its sizes, tensors "vae.<name>", the shared MLP "mlp.<name>", config["nerf"].
#include <torch/nn.h>

#include <nlohmann/json.hpp>

#include "model/checkpoint/checkpoint.h"
#include "model/nerf/nerf_config.h"
#include "model/nerf/nerf_field.h"
#include "model/nn/posterior.h"
#include "model/shape/shape_vae_config.h"
#include "model/shape/triplane_vae.h"

namespace fieldscope {

struct NerfVaeConfig {
  int vaeChannels = 32;     // conv width at plane resolution (x2 at the latent's)
  int latentChannels = 4;   // per plane; the latent is 3 x latentChannels x (R/4)^2
  double klWeight = 1e-4;   // on the KL per latent element, relative to the planes' MSE
  double planeStd = 1;      // of the fitted planes the VAE was trained on (measured)
  nlohmann::json toJson() const;
  static NerfVaeConfig fromJson(const nlohmann::json& j);  // throws std::runtime_error
};

// The triplane VAE's sizes for planes of `nerf` (two downsamplings: R must be a multiple of 4).
ShapeVaeConfig triplaneSizesFor(const NerfConfig& nerf, const NerfVaeConfig& vae);

class NerfVaeImpl : public torch::nn::Module {
 public:
  NerfVaeImpl(const NerfConfig& nerf, const NerfVaeConfig& vae);
  const NerfConfig& nerfConfig() const { return nerf_; }
  const NerfVaeConfig& config() const { return vae_; }
  int64_t latentResolution() const { return nerf_.planeResolution / 4; }

  // planes N x 3 x C x R x R -> posterior over N x 3 x Cz x r x r.
  Posterior encode(const torch::Tensor& planes);
  // latent N x 3 x Cz x r x r -> planes N x 3 x C x R x R.
  torch::Tensor decode(const torch::Tensor& latent);

  TriplaneEncoder encoder{nullptr};
  TriplaneDecoder decoder{nullptr};

 private:
  NerfConfig nerf_;
  NerfVaeConfig vae_;
};
TORCH_MODULE(NerfVae);

void storeNerfVae(Checkpoint& ckpt, const NerfVae& vae, const NerfMlp& mlp);
// The VAE and the shared MLP; throws naming the file when they are missing or do not fit.
struct NerfVaeParts {
  NerfVae vae{nullptr};
  NerfMlp mlp{nullptr};
};
NerfVaeParts restoreNerfVae(const Checkpoint& ckpt);

}  // namespace fieldscope
