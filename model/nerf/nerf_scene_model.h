#pragma once
// DDMI's NeRF generation as the viewer and the command line use it (docs/architecture.md "The NeRF
// domain"): a latent from a seed through the latent diffusion model (DDIM), decoded by the NeRF
// VAE into a triplane, read by the shared NeRF MLP -- a NerfField like a fitted scene's. Loads a
// "vae+ldm" model of domain "nerf" (`fieldscope train nerf-ldm`).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "model/checkpoint/checkpoint.h"
#include "model/diffusion/latent_diffusion.h"
#include "model/diffusion/seeded_sampling.h"
#include "model/nerf/nerf_field.h"
#include "model/nerf/nerf_vae.h"

namespace fieldscope {

class NerfSceneModel {
 public:
  // Throws naming the file when it is not a NeRF VAE + LDM model or does not fit.
  static std::unique_ptr<NerfSceneModel> load(const std::filesystem::path& path);
  static std::unique_ptr<NerfSceneModel> fromCheckpoint(const Checkpoint& ckpt);
  // Whether the checkpoint at hand (already loaded) is such a model (its kind).
  static bool isGenerative(const nlohmann::json& config) { return config.value("kind", "") == "vae+ldm"; }

  void setSamplerProgress(SamplerProgress onStep) { onStep_ = std::move(onStep); }
  // Latent 1 x 3 x Cz x r x r of a seed (unscaled; ready for decode).
  torch::Tensor sampleLatent(uint64_t seed, int steps = 50, float eta = 0.f);
  // The scene of a latent (1 x 3 x Cz x r x r): its decoded planes and the shared MLP.
  NerfField decode(const torch::Tensor& latent);
  NerfField sample(uint64_t seed, int steps = 50) { return decode(sampleLatent(seed, steps)); }

  const NerfConfig& config() const { return vae_->nerfConfig(); }
  const nlohmann::json& card() const { return card_; }
  // The VAE's encodings of its training scenes (posterior means, N x 3 x Cz x r x r), in the
  // order of card()["scenes"]; empty when the file has none.
  const torch::Tensor& trainingLatents() const { return trainLatents_; }

 private:
  NerfSceneModel() = default;
  NerfVae vae_{nullptr};
  NerfMlp mlp_{nullptr};
  LatentDiffusion ldm_;
  SamplerProgress onStep_;
  nlohmann::json card_;
  torch::Tensor trainLatents_;
};

// A NeRF model file as the viewer and `sample` open it: a fitted scene (kind "scene") or a
// generative model ("vae+ldm"); exactly one is set. Throws naming the file for any other kind.
struct NerfModelFile {
  std::shared_ptr<const NerfField> scene;
  std::shared_ptr<NerfSceneModel> model;
};
NerfModelFile openNerfModelFile(const std::filesystem::path& path);

// What `sample` shows: the fitted scene, or the generative model's scene of `seed` (DDIM `steps`).
NerfField nerfFieldOfFile(const std::filesystem::path& path, uint64_t seed, int steps);

}  // namespace fieldscope
