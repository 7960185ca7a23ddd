#include "model/train/sr_training_pairs.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "model/sr/cubic_resample.h"
#include "model/sr/photo_tensors.h"
#include "model/sr/sr_degrade.h"
#include "model/train/progress_line.h"
#include "model/train/train_support.h"

namespace fieldscope {

namespace {
constexpr int64_t kPairBatch = 64;
}  // namespace

SrTrainingPairs makeSrTrainingPairs(SrAutoencoder& ae, const torch::Tensor& crops, int64_t count, int64_t window,
                                    uint64_t seed, const LatentInversion& inversion, bool quiet) {
  const SrAeConfig& cfg = ae->config();
  std::vector<torch::Tensor> hrs, upsAll, conds, targets;
  double before = 0, after = 0;
  ProgressLine line(count, 0, "pairs");
  for (int64_t done = 0; done < count;) {
    const int64_t n = std::min(kPairBatch, count - done);
    // A generator per batch of pairs, none of which a training step uses (those count up from 0).
    const torch::Generator gen = stepGenerator(seed, -1000 - done / kPairBatch);
    const torch::Tensor hr = drawPhotoBatch(crops, n, window, gen);
    std::vector<torch::Tensor> ups;
    for (int64_t k = 0; k < n; ++k) {
      const double scale = 1 + randomUniform(gen) * (cfg.maxTrainScale - 1);
      const int64_t lrSide = lowResSide(window, scale);
      const torch::Tensor one = hr.narrow(0, k, 1);
      ups.push_back(lrSide == window ? quantize8(one) : cubicResize(degrade(one, lrSide, lrSide), window, window));
    }
    const torch::Tensor up = torch::cat(ups);
    const InvertedLatents inv = invertSrLatents(ae, hr, up, inversion);
    hrs.push_back(hr);
    upsAll.push_back(up);
    conds.push_back(inv.cond);
    targets.push_back(inv.target);
    before += inv.psnrBefore * double(n);
    after += inv.psnrAfter * double(n);
    done += n;
    if (!quiet) {
      char text[96];
      std::snprintf(text, sizeof text, "decoded windows %.2f -> %.2f dB", before / double(done), after / double(done));
      line.update(done, text);
    }
  }
  if (!quiet) line.finish();
  return {torch::cat(hrs), torch::cat(upsAll), torch::cat(conds), torch::cat(targets), before / double(count),
          after / double(count)};
}

}  // namespace fieldscope
