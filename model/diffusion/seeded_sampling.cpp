#include "model/diffusion/seeded_sampling.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace fieldscope {

namespace {

torch::Tensor run(const SeededSampling& s, torch::Tensor noise, std::vector<torch::Generator>& gens) {
  if (!s.ldm || !s.ldm->canSample()) throw std::logic_error("seeded sampling without a diffusion model");
  c10::InferenceMode guard;
  auto x = ddimSampleWith(s.ldm->epsilon(), s.ldm->schedule, noise.to(s.device), s.steps, s.eta, gens, s.onStep);
  return x / s.ldm->latentScale;
}

}  // namespace

torch::Tensor sampleSeeds(const SeededSampling& s, const std::vector<uint64_t>& seeds) {
  std::vector<torch::Tensor> noises;
  std::vector<torch::Generator> gens(seeds.size());
  for (size_t i = 0; i < seeds.size(); ++i) noises.push_back(seedNoise(seeds[i], s.shape, &gens[i]));
  return run(s, torch::stack(noises), gens);
}

torch::Tensor sampleSeedBlend(const SeededSampling& s, uint64_t seedA, uint64_t seedB, float t) {
  std::vector<torch::Generator> gens(1);
  torch::Generator unused;
  auto a = seedNoise(seedA, s.shape, &gens[0]);
  auto b = seedNoise(seedB, s.shape, &unused);
  return run(s, slerp(a, b, t).unsqueeze(0), gens);
}

torch::Tensor sampleSeedMix(const SeededSampling& s, const std::vector<uint64_t>& seeds,
                            const std::vector<float>& weights) {
  if (seeds.empty() || seeds.size() != weights.size())
    throw std::invalid_argument("sampleLatentMix: expected one weight per seed");
  // The heaviest seed's generator drives the sampler's own noise (eta > 0).
  const size_t heaviest = size_t(std::max_element(weights.begin(), weights.end()) - weights.begin());
  std::vector<torch::Generator> gens(1);
  torch::Tensor mix;
  double norm = 0;
  for (size_t i = 0; i < seeds.size(); ++i) {
    torch::Generator unused;
    torch::Tensor n = seedNoise(seeds[i], s.shape, i == heaviest ? &gens[0] : &unused) * weights[i];
    mix = mix.defined() ? mix + n : n;
    norm += double(weights[i]) * weights[i];
  }
  if (!(norm > 0)) throw std::invalid_argument("sampleLatentMix: the weights are all zero");
  return run(s, (mix / std::sqrt(norm)).unsqueeze(0), gens);
}

}  // namespace fieldscope
