#include "model/shape/shape_model.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "model/diffusion/vae_ldm_file.h"
#include "model/shape/shape_vae_io.h"
#include "model/shape/triplane_vae.h"

namespace fieldscope {

std::unique_ptr<ShapeModel> ShapeModel::load(const std::filesystem::path& path, const ComputeOptions& compute) {
  VaeLdmFile file = openVaeLdmFile(path, "shape", "a shape model");
  if (compute.half) throw std::runtime_error("shape model: fp16 is not supported yet; use --precision fp32");
  std::unique_ptr<ShapeModel> m(new ShapeModel());
  m->vae_ = restoreShapeVae(file.ckpt);
  m->ldm_ = file.diffusion();
  m->card_ = std::move(file.card);
  m->compute_ = compute;
  m->vae_->to(compute.device);
  if (m->ldm_.unet) m->ldm_.unet->to(compute.device);
  return m;
}

std::unique_ptr<ShapeModel> ShapeModel::untrained(const std::string& preset, const ComputeOptions& compute,
                                                  uint64_t seed) {
  torch::manual_seed(seed);
  const ShapeVaeConfig vc = ShapeVaeConfig::preset_(preset);
  std::unique_ptr<ShapeModel> m(new ShapeModel());
  m->vae_ = ShapeVae(vc);
  m->vae_->eval();
  m->ldm_.unet = UNet(UNetConfig::preset_(preset, vc.latentChannels, vc.latentResolution()));
  m->ldm_.unet->eval();
  m->ldm_.schedule = DiffusionSchedule::scaledLinear();
  m->card_ = untrainedModelCard("shape", preset, seed);
  m->compute_ = compute;
  m->vae_->to(compute.device);
  m->ldm_.unet->to(compute.device);
  return m;
}

SeededSampling ShapeModel::sampling(int steps, float eta) {
  if (!canSample())
    throw std::runtime_error("model '" + card_.value("file", "") + "' has no diffusion model: it can only encode shapes");
  const auto& c = vae_->config();
  const int64_t r = c.latentResolution();
  return {&ldm_, {c.latentChannels, r, 3 * r}, compute_.device, steps, eta, onStep_};
}

torch::Tensor ShapeModel::sampleLatents(const std::vector<uint64_t>& seeds, int steps, float eta) {
  return rollIn(sampleSeeds(sampling(steps, eta), seeds));
}

torch::Tensor ShapeModel::sampleLatent(uint64_t seed, int steps, float eta) { return sampleLatents({seed}, steps, eta); }

torch::Tensor ShapeModel::sampleLatentBlend(uint64_t seedA, uint64_t seedB, float t, int steps, float eta) {
  return rollIn(sampleSeedBlend(sampling(steps, eta), seedA, seedB, t));
}

torch::Tensor ShapeModel::encode(const torch::Tensor& points) {
  c10::InferenceMode guard;
  auto p = (points.dim() == 2 ? points.unsqueeze(0) : points).to(compute_.device, torch::kFloat32);
  return vae_->encode(p).mean;
}

TriplaneFields ShapeModel::makeFields(const torch::Tensor& latent) {
  c10::InferenceMode guard;
  auto z = (latent.dim() == 4 ? latent.unsqueeze(0) : latent).to(compute_.device, torch::kFloat32);
  return fieldsOf(vae_->decodeFields(z.narrow(0, 0, 1)), 0);
}

bool ShapeModel::bake(const TriplaneFields& fields, int64_t n, torch::Tensor out, const BakeOptions& options) {
  c10::InferenceMode guard;
  return bakeOccupancy(vae_->readout, fields, n, std::move(out), options);
}

torch::Tensor ShapeModel::occupancyAt(const TriplaneFields& fields, const torch::Tensor& points) {
  c10::InferenceMode guard;
  std::vector<torch::Tensor> parts;
  const auto p = points.to(compute_.device, torch::kFloat32);
  for (int64_t s = 0; s < p.size(0); s += 1 << 15)
    parts.push_back(vae_->readout->forward(fields, p.narrow(0, s, std::min<int64_t>(1 << 15, p.size(0) - s))));
  return parts.empty() ? torch::empty({0}) : torch::cat(parts);
}

double probabilityToLogit(double p) {
  p = std::clamp(p, 1e-6, 1 - 1e-6);
  return std::log(p / (1 - p));
}

}  // namespace fieldscope
