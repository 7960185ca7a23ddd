#include "model/diffusion/seeded_sampling.h"

#include "model/diffusion/cuda_graph_epsilon.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace fieldscope {

namespace {

// The class labels of the samples (one per seed in `classSeeds`), undefined when unguided.
torch::Tensor labelsFor(const SeededSampling& s, const std::vector<uint64_t>& classSeeds) {
  if (!s.guidance.active()) return {};
  const DiffusionClasses& c = s.ldm->classes;
  if (c.empty()) throw std::invalid_argument("this model has no classes to guide towards");
  if (!validClassIndex(c, s.guidance.classIndex))
    throw std::invalid_argument("class " + std::to_string(s.guidance.classIndex) + " is not one of the model's " +
                                std::to_string(c.names.size()));
  std::vector<int64_t> labels;
  for (uint64_t seed : classSeeds)
    labels.push_back(classForSeed(c, s.guidance, seed));
  return torch::tensor(labels, torch::kInt64);
}

torch::Tensor run(const SeededSampling& s, torch::Tensor noise, std::vector<torch::Generator>& gens,
                  const std::vector<uint64_t>& classSeeds) {
  if (!s.ldm || !s.ldm->canSample()) throw std::logic_error("seeded sampling without a diffusion model");
  c10::InferenceMode guard;
  EpsilonFn eps = s.ldm->epsilon(labelsFor(s, classSeeds), s.guidance.scale);
  torch::Tensor xT = noise.to(s.device);
  // On CUDA the network call is replayed from a graph (a guided call copies its labels to the
  // device inside, which a capture cannot hold: it runs eagerly).
  if (!s.guidance.active()) eps = cudaGraphEpsilon(std::move(eps), xT);
  auto x = ddimSampleWith(eps, s.ldm->schedule, xT, s.steps, s.eta, gens, s.onStep);
  return x / s.ldm->latentScale;
}

}  // namespace

torch::Tensor sampleSeeds(const SeededSampling& s, const std::vector<uint64_t>& seeds) {
  std::vector<torch::Tensor> noises;
  std::vector<torch::Generator> gens(seeds.size());
  for (size_t i = 0; i < seeds.size(); ++i) noises.push_back(seedNoise(seeds[i], s.shape, &gens[i]));
  return run(s, torch::stack(noises), gens, seeds);
}

torch::Tensor sampleSeedBlend(const SeededSampling& s, uint64_t seedA, uint64_t seedB, float t) {
  std::vector<torch::Generator> gens(1);
  torch::Generator unused;
  auto a = seedNoise(seedA, s.shape, &gens[0]);
  auto b = seedNoise(seedB, s.shape, &unused);
  return run(s, slerp(a, b, t).unsqueeze(0), gens, {t < 0.5f ? seedA : seedB});
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
  return run(s, (mix / std::sqrt(norm)).unsqueeze(0), gens, {seeds[heaviest]});
}

}  // namespace fieldscope
