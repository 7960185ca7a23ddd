#pragma once
// The shipped image model (VAE + latent diffusion) as the viewer and the CLI use it.
// No Vulkan here: the viewer hands decodeRegion a tensor view of its mapped memory.
#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "model/diffusion/ddim.h"
#include "model/diffusion/latent_diffusion.h"
#include "model/diffusion/seeded_sampling.h"
#include "model/image/image_fields.h"
#include "model/image/image_vae.h"
#include "model/util/compute_options.h"

namespace fieldscope {

class ImageModel {
 public:
  // Loads a `vae+ldm` (or `vae`, reconstruction only) image checkpoint. Throws std::runtime_error
  // naming the file when it is missing, corrupt, of another version or of another domain.
  // `compute`: the device every module and tensor lives on, and fp16 for the readout and the UNet.
  static std::unique_ptr<ImageModel> load(const std::filesystem::path& path, const ComputeOptions& compute = {});

  // A VAE + UNet of a preset ("small", "paper", "tiny") with random weights (seeded through the
  // global CPU generator: torch::manual_seed(seed)); canSample() is true. For benchmarks of model
  // sizes without a trained checkpoint; its pictures mean nothing.
  static std::unique_ptr<ImageModel> untrained(const std::string& preset, const ComputeOptions& compute,
                                               uint64_t seed = 0);

  const ComputeOptions& compute() const { return compute_; }

  bool canSample() const { return ldm_.canSample(); }
  // A class-conditional model's classes (empty otherwise); the sampling calls below take a
  // ClassGuidance (class_guidance.h) for them, inactive by default (unconditional).
  const DiffusionClasses& classes() const { return ldm_.classes; }

  // A latent (1 x C x r x r, fp32 on the model's device, unscaled: ready for makeFields) for a seed;
  // deterministic. The initial noise is drawn on the CPU and moved, so a seed starts from the same
  // noise on every device.
  // Called after each sampler step of the following calls (progress lines); empty: none.
  // Set and used on the thread that samples.
  void setSamplerProgress(SamplerProgress onStep) { onStep_ = std::move(onStep); }
  torch::Tensor sampleLatent(uint64_t seed, int steps = 50, float eta = 0.f, const ClassGuidance& guidance = {});
  // Several seeds in one batched sampler run (N x C x r x r); each equals sampleLatent(seed).
  torch::Tensor sampleLatents(const std::vector<uint64_t>& seeds, int steps = 50, float eta = 0.f,
                              const ClassGuidance& guidance = {});
  // The sample from the slerp (t in [0,1]) of the two seeds' initial noises.
  torch::Tensor sampleLatentBlend(uint64_t seedA, uint64_t seedB, float t, int steps = 50, float eta = 0.f,
                                  const ClassGuidance& guidance = {});
  // The sample from a weighted mix of seeds' initial noises, sum w_i n_i / sqrt(sum w_i^2) (unit
  // variance again; the viewer's seed plane blends four neighbouring seeds bilinearly). One seed
  // with weight 1 gives exactly sampleLatent(seed). Throws std::invalid_argument for no seeds,
  // a size mismatch or all-zero weights.
  torch::Tensor sampleLatentMix(const std::vector<uint64_t>& seeds, const std::vector<float>& weights, int steps = 50,
                                float eta = 0.f, const ClassGuidance& guidance = {});

  // Encodes images (N x 3 x R x R in [-1,1], posterior mean): for reconstructions.
  torch::Tensor encode(const torch::Tensor& images);

  // Runs the VAE decoder once (fp32): the basis fields the viewer keeps per sample, on the model's
  // device, stored in fp16 when compute().half.
  ImageFields makeFields(const torch::Tensor& latent);

  // Exact pixel-centre grid of region [x0,x1] x [y0,y1] (image = [0,1]², x right, y down) at W x H
  // into out (H x W x 4 uint8, any strides, on the CPU or on the model's device: then written
  // there without a host round trip); A = 255. Bounded memory. See region_decoder.h.
  void decodeRegion(const ImageFields& fields, double x0, double y0, double x1, double y1, int W, int H,
                    torch::Tensor out);

  int trainResolution() const { return vae_->config().resolution; }
  const nlohmann::json& card() const { return card_; }
  ImageVae& vae() { return vae_; }

 private:
  SamplerProgress onStep_;
  ImageModel() = default;
  void placeOnDevice();  // moves the modules to compute_.device, the UNet to fp16 when half
  SeededSampling sampling(int steps, float eta, const ClassGuidance& guidance);  // throws when the model cannot sample
  ComputeOptions compute_;
  ImageVae vae_{nullptr};
  LatentDiffusion ldm_;
  nlohmann::json card_;
};

}  // namespace fieldscope
