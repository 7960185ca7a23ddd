#include "model/sr/sr_eval.h"

#include <torch/torch.h>

#include "model/sr/cubic_resample.h"
#include "model/sr/image_quality.h"
#include "model/sr/sr_degrade.h"

namespace fieldscope {

torch::Tensor decoderOnlyUpscale(SrAutoencoder& ae, const torch::Tensor& lr, int64_t H, int64_t W) {
  const auto up = cubicResize(lr, H, W);
  return ae->render(ae->features(ae->encode(up)), up, W, H);
}

SrEvaluation evaluateSrDecoder(SrAutoencoder& ae, const torch::Tensor& crops, const std::vector<double>& scales,
                               const WorkProgress& progress) {
  torch::NoGradGuard noGrad;
  const bool wasTraining = ae->is_training();
  ae->eval();
  SrEvaluation ev;
  ev.crops = crops.size(0);
  const int64_t side = crops.size(2);
  constexpr int64_t kBatch = 16;
  const int64_t total = crops.size(0) * static_cast<int64_t>(scales.size());
  int64_t done = 0;
  for (double s : scales) {
    SrScaleScore score;
    score.scale = s;
    const int64_t lrSide = lowResSide(side, s);
    for (int64_t start = 0; start < crops.size(0); start += kBatch) {
      // Scored where the model is (the CPU, or the GPU it trains on).
      const auto hr = bytesToUnit(crops.narrow(0, start, std::min(kBatch, crops.size(0) - start))).to(srDevice(ae));
      const auto lr = degrade(hr, lrSide, lrSide);
      const auto bicubic = cubicResize(lr, side, side);
      const auto sr = decoderOnlyUpscale(ae, lr, side, side);
      score.bicubicPsnr += psnrPerImage(bicubic, hr).sum().item<double>();
      score.bicubicSsim += ssimPerImage(bicubic, hr).sum().item<double>();
      score.decoderPsnr += psnrPerImage(sr, hr).sum().item<double>();
      score.decoderSsim += ssimPerImage(sr, hr).sum().item<double>();
      score.decoderLrConsistencyPsnr += psnrPerImage(cubicResize(sr.clamp(-1, 1), lrSide, lrSide), lr).sum().item<double>();
      done += hr.size(0);
      reportProgress(progress, done, total);
    }
    const double n = double(std::max<int64_t>(1, ev.crops));
    score.bicubicPsnr /= n;
    score.bicubicSsim /= n;
    score.decoderPsnr /= n;
    score.decoderSsim /= n;
    score.decoderLrConsistencyPsnr /= n;
    ev.scales.push_back(score);
  }
  if (wasTraining) ae->train();
  return ev;
}

torch::Tensor spreadCrops(const torch::Tensor& crops, int64_t n) {
  const int64_t N = crops.size(0);
  if (n >= N) return crops;
  const torch::Tensor pick = torch::linspace(0, double(N - 1), std::max<int64_t>(1, n)).round().to(torch::kInt64);
  return crops.index_select(0, pick);
}

}  // namespace fieldscope
