#pragma once
#include <cmath>
// The latent diffusion trainer every domain shares (docs/architecture.md "Training"): ε-prediction on
// a domain's encoded training latents (posterior means and standard deviations, sampled every
// step), EMA weights for sampling, the one training loop around it. A domain brings its latents,
// its UNet size and the model file's other contents (its VAE); image-ldm and shape-ldm are thin
// wrappers over this.
#include <torch/types.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/checkpoint/checkpoint.h"
#include "model/diffusion/class_guidance.h"
#include "model/diffusion/ddmi_unet.h"
#include "model/diffusion/timestep_weighting.h"
#include "model/diffusion/unet.h"
#include "model/train/training_loop.h"

namespace fieldscope {

// The training set in latent space: N x C x h x w posterior means and standard deviations.
struct EncodedLatents {
  torch::Tensor means, stds;
  double std = 1;    // of sampled latents
  double scale = 1;  // 1 / std: the UNet sees unit-variance latents
  // Optional, one per latent: N x Cc x h x w, concatenated to the noisy latent as the UNet's input
  // (the SR domain's encoded low-resolution picture, already scaled). Needs unet.condChannels = Cc.
  torch::Tensor cond;
  // Optional, one per latent: N int64 class labels (-1: none) of a class-conditional UNet
  // (unet.numClasses > 0; classifier-free guidance, class_guidance.h).
  torch::Tensor labels;
};
// Measures std and scale of sampled latents (drawn with a generator no training step uses).
EncodedLatents withLatentScale(torch::Tensor means, torch::Tensor stds, uint64_t seed);

struct LatentDiffusionTrainSpec {
  std::string domain;                  // of the model file and the training state
  const TrainingRunOptions* run = nullptr;
  int64_t batch = 32;
  double lr = 5e-4;
  UNetConfig unet;
  // Set: the authors' UNet instead (ddmi_unet.h; a faithful-architecture VAE), stored with their
  // timestep spacing; the latents are then diffused unscaled, as the authors do (no condition).
  std::optional<DdmiUNetConfig> ddmiUnet;
  // With ddmiUnet: the mixing gate's starting logit (the authors' -6 leaves eps almost all the prior
  // sqrt(1 - abar) x_t; +6 hands it to the network at once). NaN: the authors' -6. Recorded in the file.
  double ddmiGateStart = std::nan("");
  // The model file without its diffusion part (config + the VAE's tensors); the trainer adds
  // config["training_ldm"] and the EMA UNet ("ldm.*") and writes it.
  std::function<Checkpoint(const TrainingProgress&)> modelBase;
  std::string vaeFile;  // recorded in training_ldm
  // Called on the model file after the diffusion part is stored (may be empty): a domain adds
  // what its sampler needs besides the UNet (the SR domain's condition scale).
  std::function<void(Checkpoint&)> finishModel;
  // A class-conditional UNet's classes (stored in the model file) and the share of steps' items
  // whose label is dropped to "no class", so the same UNet learns the unconditional ε too.
  DiffusionClasses classes;
  double labelDropout = 0.1;
  // Set: the UNet starts from this model file's diffusion weights ("ldm.*", the EMA) instead of
  // at random; a class embedding it lacks starts at zero (a class-conditional fine-tune of an
  // unconditional model). Every other tensor must be there with the same shape, except when the UNet
  // has more residual blocks a level than the file's: then the added ones start as the identity
  // (unet_grow.h).
  std::filesystem::path initFrom;
  // With initFrom: where each row of the new class embedding (numClasses + 1 rows, the last "no
  // class") starts, as a row of the file's class embedding (a finer class set started from a
  // coarser one: each subgroup from its group's row). Empty: the embedding must have the file's
  // shape, or the file has none (it starts at zero).
  std::vector<int64_t> initClassRows;
  // Set: an alignment fine-tune (DESIGN §5.2, `train sr-align`): besides the denoising loss, the
  // domain's image loss of the predicted clean latent x̂₀ = (x_t − √(1−ᾱ) ε̂) / √ᾱ (scaled, as the
  // UNet sees it; gradients flow through it) for batch items `idx`, one value per item, weighted by
  // imageLossWeight · min(ᾱ / (1 − ᾱ), imageLossSnrCap). Logged as the column "image".
  std::function<torch::Tensor(const torch::Tensor& x0, const torch::Tensor& idx)> imageLoss;
  double imageLossWeight = 1;
  double imageLossSnrCap = 5;
  // The decay of the EMA weights the model file samples with (after a short warm-up EMA of decay
  // (1+k)/(10+k) at step k). 0.9999 averages over ~10^4 steps: for a long fine-tune.
  double emaDecay = 0.999;
  // How each item's ε loss is weighted by its timestep (uniform: the plain mean; min-snr, p2).
  TimestepWeighting weighting;
};

struct LatentDiffusionTrainResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  double seconds = 0;
};

// The usual modelBase: the VAE file's config (its sizes, data, training record and metrics; its
// "training" moved to "training_vae") and its "vae.*" tensors.
// `prefixes`: the tensors kept (a NeRF model keeps its shared MLP, "mlp.", as well).
std::function<Checkpoint(const TrainingProgress&)> modelBaseFromVae(const Checkpoint& vaeCheckpoint,
                                                                    std::vector<std::string> prefixes = {"vae."});

LatentDiffusionTrainResult trainLatentDiffusion(const LatentDiffusionTrainSpec& spec, const EncodedLatents& latents);

}  // namespace fieldscope
