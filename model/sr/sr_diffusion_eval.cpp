#include "model/sr/sr_diffusion_eval.h"

#include <torch/torch.h>

#include <algorithm>

#include "model/sr/cubic_resample.h"
#include "model/sr/image_quality.h"
#include "model/sr/sr_degrade.h"

namespace fieldscope {

torch::Tensor diffusionUpscale(SrAutoencoder& ae, SrDiffusion& diffusion, const torch::Tensor& lr, int64_t H, int64_t W,
                               int samples, int steps) {
  torch::NoGradGuard noGrad;
  const int64_t B = lr.size(0);
  const torch::Tensor up = cubicResize(lr, H, W);
  const torch::Tensor cond = ae->encode(up);
  std::vector<uint64_t> seeds;
  for (int64_t b = 0; b < B; ++b)
    for (int k = 0; k < samples; ++k) seeds.push_back(uint64_t(k));
  SrSampling s;
  s.steps = steps;
  const torch::Tensor z = sampleSrLatents(diffusion, cond.repeat_interleave(samples, 0), seeds, s);
  const torch::Tensor rgb = ae->render(ae->features(z), up.repeat_interleave(samples, 0), W, H);
  return rgb.view({B, samples, 3, H, W});
}

SrDiffusionEvaluation evaluateSrDiffusion(SrAutoencoder& ae, SrDiffusion& diffusion, const torch::Tensor& crops,
                                          const std::vector<double>& scales, int samples, int steps,
                                          const WorkProgress& progress) {
  torch::NoGradGuard noGrad;
  ae->eval();
  SrDiffusionEvaluation ev;
  ev.crops = crops.size(0);
  ev.samples = samples;
  ev.steps = steps;
  const int64_t side = crops.size(2);
  const int64_t batch = std::max<int64_t>(1, 32 / samples);
  const int64_t total = crops.size(0) * int64_t(scales.size());
  int64_t done = 0;
  for (double scale : scales) {
    SrDiffusionScore sc;
    sc.scale = scale;
    const int64_t lrSide = lowResSide(side, scale);
    for (int64_t start = 0; start < crops.size(0); start += batch) {
      const torch::Tensor hr = bytesToUnit(crops.narrow(0, start, std::min(batch, crops.size(0) - start)));
      const torch::Tensor lr = degrade(hr, lrSide, lrSide);
      const torch::Tensor sr = diffusionUpscale(ae, diffusion, lr, side, side, samples, steps);  // B x S x 3 x H x W
      const torch::Tensor one = sr.select(1, 0);
      sc.onePsnr += psnrPerImage(one, hr).sum().item<double>();
      sc.oneSsim += ssimPerImage(one, hr).sum().item<double>();
      const torch::Tensor all = sr.flatten(0, 1);
      const torch::Tensor hrAll = hr.repeat_interleave(samples, 0);
      sc.meanPsnr += psnrPerImage(all, hrAll).sum().item<double>() / samples;
      sc.meanSsim += ssimPerImage(all, hrAll).sum().item<double>() / samples;
      const torch::Tensor average = sr.clamp(-1, 1).mean(1);
      sc.averagePsnr += psnrPerImage(average, hr).sum().item<double>();
      sc.averageSsim += ssimPerImage(average, hr).sum().item<double>();
      sc.lrConsistencyPsnr += psnrPerImage(cubicResize(one.clamp(-1, 1), lrSide, lrSide), lr).sum().item<double>();
      done += hr.size(0);
      reportProgress(progress, done, total);
    }
    const double n = double(std::max<int64_t>(1, ev.crops));
    for (double* v : {&sc.onePsnr, &sc.oneSsim, &sc.meanPsnr, &sc.meanSsim, &sc.averagePsnr, &sc.averageSsim,
                      &sc.lrConsistencyPsnr})
      *v /= n;
    ev.scales.push_back(sc);
  }
  return ev;
}

}  // namespace fieldscope
