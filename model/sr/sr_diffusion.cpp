#include "model/sr/sr_diffusion.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace fieldscope {
namespace {
namespace F = torch::nn::functional;

// Window starts along an axis of `length` cells, windows of `size` overlapping by about `overlap`.
std::vector<int64_t> windowStarts(int64_t length, int64_t size, int64_t overlap) {
  if (length <= size) return {0};
  std::vector<int64_t> starts;
  const int64_t step = std::max<int64_t>(1, size - overlap);
  for (int64_t p = 0;; p += step) {
    if (p + size >= length) {
      starts.push_back(length - size);
      break;
    }
    starts.push_back(p);
  }
  return starts;
}

// 1 at the window's inside, falling linearly over `overlap` cells towards both ends (never 0).
torch::Tensor tent(int64_t size, int64_t overlap) {
  auto i = torch::arange(size, torch::kFloat32);
  const double o = double(std::max<int64_t>(overlap, 1) + 1);
  return torch::minimum(torch::minimum((i + 1) / o, (size - i) / o), torch::ones({size}));
}

}  // namespace

void storeSrDiffusionCondition(Checkpoint& ckpt, double condScale) {
  ckpt.config["ldm"]["condition"] = {
      {"kind", "sr-decoder-only-latent"},
      {"scale", condScale},
      {"target", "detail latent: (inverted latent - decoder-only latent) * latent_scale"}};
}

bool hasSrDiffusion(const Checkpoint& ckpt) {
  return ckpt.config.contains("ldm") && ckpt.config["ldm"].is_object() && ckpt.config["ldm"].contains("condition");
}

SrDiffusion restoreSrDiffusion(const Checkpoint& ckpt) {
  const std::string where = "checkpoint '" + ckpt.file.string() + "': ";
  if (!hasSrDiffusion(ckpt))
    throw std::runtime_error(where + "has no super-resolution diffusion stage (train one with `fieldscope train sr-ldm`)");
  SrDiffusion d;
  d.ldm = restoreLatentDiffusion(ckpt);
  try {
    const auto& c = ckpt.config["ldm"]["condition"];
    if (c.at("kind").get<std::string>() != "sr-decoder-only-latent")
      throw std::runtime_error("unknown condition '" + c.at("kind").get<std::string>() + "'");
    d.condScale = c.at("scale").get<double>();
  } catch (const std::exception& e) {
    throw std::runtime_error(where + "diffusion condition: " + e.what());
  }
  if (!(d.condScale > 0) || !std::isfinite(d.condScale)) throw std::runtime_error(where + "bad condition scale");
  const auto& u = d.ldm.unet->config();
  if (u.condChannels != u.inChannels)
    throw std::runtime_error(where + "the SR diffusion UNet must take the latent's " + std::to_string(u.inChannels) +
                             " channels as its condition, not " + std::to_string(u.condChannels));
  return d;
}

torch::Tensor sampleSrLatents(SrDiffusion& d, const torch::Tensor& cond, const std::vector<uint64_t>& seeds,
                              const SrSampling& s) {
  torch::NoGradGuard noGrad;
  UNet& unet = d.ldm.unet;
  const UNetConfig& u = unet->config();
  if (cond.dim() != 4 || cond.size(1) != u.inChannels || cond.size(0) != int64_t(seeds.size()))
    throw std::invalid_argument("SR sampling: the condition must be N x " + std::to_string(u.inChannels) +
                                " x h x w with one seed per latent");
  const int64_t mult = int64_t(1) << (u.channelMult.size() - 1);
  const int64_t windowCells = s.windowCells > 0 ? s.windowCells : int64_t(u.resolution);
  const int64_t overlap = s.windowCells > 0 ? s.overlapCells : int64_t(u.resolution) / 4;
  if (windowCells < mult || windowCells % mult != 0 || overlap < 0 || overlap >= windowCells || s.windowsPerBatch < 1)
    throw std::invalid_argument("SR sampling: bad window size");
  const int64_t N = cond.size(0), C = cond.size(1), h = cond.size(2), w = cond.size(3);
  // The UNet halves its grid (channelMult.size() - 1) times: pad the latent to a multiple of that.
  const int64_t H = (h + mult - 1) / mult * mult, W = (w + mult - 1) / mult * mult;
  torch::Tensor c = cond.to(torch::kFloat32) * d.condScale;
  if (H != h || W != w) c = F::pad(c, F::PadFuncOptions({0, W - w, 0, H - h}).mode(torch::kReplicate));

  std::vector<torch::Generator> gens(N);
  std::vector<torch::Tensor> noise;
  for (int64_t k = 0; k < N; ++k) noise.push_back(seedNoise(seeds[k], {C, H, W}, &gens[k]));
  const torch::Tensor xT = torch::stack(noise).to(cond.device());  // drawn on the CPU: a seed gives the same noise anywhere

  const int64_t wy = std::min(H, windowCells), wx = std::min(W, windowCells);
  std::vector<std::pair<int64_t, int64_t>> windows;
  for (int64_t y : windowStarts(H, wy, overlap))
    for (int64_t x : windowStarts(W, wx, overlap)) windows.emplace_back(y, x);
  const torch::Tensor weight =
      (tent(wy, overlap).view({-1, 1}) * tent(wx, overlap).view({1, -1})).view({1, 1, wy, wx}).to(cond.device());
  torch::Tensor weightSum = torch::zeros({1, 1, H, W}, weight.options());
  for (const auto& [y, x] : windows) weightSum.narrow(2, y, wy).narrow(3, x, wx).add_(weight);

  const EpsilonFn eps = [&](const torch::Tensor& xt, const torch::Tensor& t, const torch::Tensor& sq) -> torch::Tensor {
    if (windows.size() == 1) return unet->forward(xt, t, sq, c);
    torch::Tensor acc = torch::zeros_like(xt);
    // Windows of all N samples stacked along the batch, windowsPerBatch windows a UNet call.
    for (size_t first = 0; first < windows.size(); first += size_t(s.windowsPerBatch)) {
      const size_t last = std::min(windows.size(), first + size_t(s.windowsPerBatch));
      std::vector<torch::Tensor> xs, cs;
      for (size_t k = first; k < last; ++k) {
        const auto [y, x] = windows[k];
        xs.push_back(xt.narrow(2, y, wy).narrow(3, x, wx));
        cs.push_back(c.narrow(2, y, wy).narrow(3, x, wx));
      }
      const int64_t n = int64_t(last - first);
      const torch::Tensor e = unet->forward(torch::cat(xs), t.repeat({n}), sq.repeat({n}), torch::cat(cs));
      for (size_t k = first; k < last; ++k) {
        const auto [y, x] = windows[k];
        acc.narrow(2, y, wy).narrow(3, x, wx).add_(e.narrow(0, int64_t(k - first) * N, N) * weight);
      }
    }
    return acc / weightSum;
  };
  const std::function<bool()> cancelled = [&] { return s.cancel && s.cancel->load(); };
  torch::Tensor detail = ddimSampleWith(eps, d.ldm.schedule, xT, s.steps, s.eta, gens, s.onStep, cancelled);
  if (!detail.defined()) return {};
  detail = detail.narrow(2, 0, h).narrow(3, 0, w);
  return cond.to(torch::kFloat32) + detail / d.ldm.latentScale;
}

}  // namespace fieldscope
