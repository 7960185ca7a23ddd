// fieldscope eval sr --model M --data DIR [-o results.json] [--pictures strip.png]: how well an SR
// model super-resolves the held-out crops of a photo set (docs/architecture.md "The
// super-resolution domain"): PSNR / SSIM of bicubic and of the decoder alone at x2, x3.7, x4 and
// x8, and the decoder's LR consistency; the model card's numbers and before/after pictures.
#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <cstdio>
#include <memory>

#include "app/cli/command_registry.h"
#include "app/cli/long_run.h"
#include "app/cli/model_subcommands.h"
#include "app/domains/sr/cli/sr_commands.h"
#include "app/domains/sr/cli/sr_model_file.h"
#include "model/data/image_folder.h"
#include "model/io/atomic_file.h"
#include "model/photo_data/photo_dataset.h"
#include "model/sr/cubic_resample.h"
#include "model/sr/photo_tensors.h"
#include "model/sr/sr_degrade.h"
#include "model/sr/sr_eval.h"
#include "model/train/sr_ae_trainer.h"

namespace fieldscope {

void registerSrEvalCommand(CommandRegistry& registry) {
  struct Opts {
    std::string model, data, out, pictures;
    int crops = 0;
    int threads = 0;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* ev = registry.verb("eval", "evaluate a model");
  CLI::App* sr = ev->add_subcommand("sr", "held-out PSNR / SSIM of a super-resolution model against bicubic at x2, x3.7, x4, x8");
  sr->add_option("--model", o->model, std::string("SR model (default: the shipped ") + kDefaultSrModel + ")");
  sr->add_option("--data", o->data, "photo crop folder (from `fieldscope data photos`): its held-out crops are used")->required();
  sr->add_option("-o,--out", o->out, "write the scores as JSON");
  sr->add_option("--pictures", o->pictures,
                 "write a PNG of held-out crops at x4, one per row: input (nearest) | bicubic | decoder | original");
  sr->add_option("--crops", o->crops, "held-out crops to use (default: all)")->check(CLI::Range(0, 100000000));
  sr->add_option("--threads", o->threads, "torch threads (default: all cores)");
  sr->callback([o] {
    setTorchThreads(o->threads);
    const std::filesystem::path modelPath = o->model.empty() ? defaultSrModel() : std::filesystem::path(o->model);
    const auto model = loadSrModel(modelPath);
    const PhotoDataset data = loadPhotoDataset(o->data);
    const bool heldOut = !data.test.empty();
    if (!heldOut)
      std::fprintf(stderr, "fieldscope: '%s' has no held-out crops (test/): scoring its training crops instead\n",
                   o->data.c_str());
    torch::Tensor crops = photosToTensor(heldOut ? data.test : data.train);
    const int64_t d = model->ae->config().downFactor();
    const int64_t side = crops.size(2) / d * d;
    crops = crops.narrow(2, 0, side).narrow(3, 0, side);
    if (o->crops > 0) crops = crops.narrow(0, 0, std::min<int64_t>(o->crops, crops.size(0)));
    LongRun run("crops", /*stoppable=*/false);
    const SrEvaluation ev = evaluateSrDecoder(model->ae, crops, srEvalScales(), run.progress());
    run.finish(false, "");
    std::printf("%s on %lld %s crops of %lld px from %s:\n", modelPath.filename().c_str(), (long long)ev.crops,
                heldOut ? "held-out" : "training", (long long)side, o->data.c_str());
    std::printf("  scale   bicubic PSNR / SSIM   decoder PSNR / SSIM   gain     decoder LR consistency\n");
    for (const SrScaleScore& s : ev.scales)
      std::printf("  x%-5.3g  %6.2f dB / %.4f     %6.2f dB / %.4f    %+5.2f dB  %6.2f dB\n", s.scale, s.bicubicPsnr,
                  s.bicubicSsim, s.decoderPsnr, s.decoderSsim, s.decoderPsnr - s.bicubicPsnr, s.decoderLrConsistencyPsnr);
    if (!o->out.empty()) {
      nlohmann::json j = srScoresJson(ev);
      j["model"] = modelPath.string();
      j["data"] = o->data;
      j["crop_side"] = side;
      j["split"] = heldOut ? "held-out (test/)" : "training (the set has no held-out crops)";
      j["diffusion"] = model->hasDiffusion ? "present, not evaluated here" : "none in this model (decoder only)";
      writeBytesAtomically(o->out, j.dump(2) + "\n");
      std::printf("wrote %s\n", o->out.c_str());
    }
    if (!o->pictures.empty()) {
      torch::NoGradGuard noGrad;
      const int64_t n = std::min<int64_t>(6, crops.size(0)), lrSide = lowResSide(side, 4.0);
      // Crops spread over the held-out set (it is ordered by scene): one picture of each kind.
      const torch::Tensor pick = torch::linspace(0, double(crops.size(0) - 1), n).round().to(torch::kInt64);
      const torch::Tensor hr = bytesToUnit(crops.index_select(0, pick));
      const torch::Tensor lr = degrade(hr, lrSide, lrSide);
      const auto nearest = torch::nn::functional::interpolate(
          lr, torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{side, side}).mode(torch::kNearest));
      const torch::Tensor decoder = decoderOnlyUpscale(model->ae, lr, side, side).clamp(-1, 1);
      const torch::Tensor rows = torch::stack({nearest, cubicResize(lr, side, side).clamp(-1, 1), decoder, hr}, 1);
      writeImageGrid(o->pictures, rows.flatten(0, 1), 4);
      std::printf("wrote %s (rows: crops; columns: input x4 nearest | bicubic | decoder | original)\n",
                  o->pictures.c_str());
    }
  });
}

}  // namespace fieldscope
