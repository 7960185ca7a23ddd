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
#include "model/sr/sr_diffusion_eval.h"
#include "model/sr/sr_eval.h"
#include "model/train/sr_ae_trainer.h"

namespace fieldscope {

void registerSrEvalCommand(CommandRegistry& registry) {
  struct Opts {
    std::string model, data, out, pictures;
    int crops = 0;
    int diffusionCrops = 16, samples = 8, steps = 50;
    bool decoderOnly = false;
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
  sr->add_option("--diffusion-crops", o->diffusionCrops, "held-out crops the diffusion stage is scored on, spread evenly over the set (it is slow on a CPU)")
      ->default_val(o->diffusionCrops)->check(CLI::Range(1, 100000000));
  sr->add_option("--samples", o->samples, "diffusion samples per crop (seeds 0..N-1)")->default_val(o->samples)->check(CLI::Range(1, 64));
  sr->add_option("--steps", o->steps, "diffusion steps (DDIM)")->default_val(o->steps)->check(CLI::Range(1, 1000));
  sr->add_flag("--decoder-only", o->decoderOnly, "score the decoder alone even when the model has a diffusion stage");
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
    const bool diffusion = model->diffusion && !o->decoderOnly;
    SrDiffusionEvaluation dev;
    SrEvaluation devBase;  // bicubic and the decoder alone on the diffusion stage's crops
    if (diffusion) {
      const torch::Tensor some = spreadCrops(crops, o->diffusionCrops);
      devBase = evaluateSrDecoder(model->ae, some, srEvalScales());
      LongRun drun("crops (diffusion)", /*stoppable=*/false);
      dev = evaluateSrDiffusion(model->ae, *model->diffusion, some, srEvalScales(), o->samples, o->steps, drun.progress());
      drun.finish(false, "");
    }
    std::printf("%s on %lld %s crops of %lld px from %s:\n", modelPath.filename().c_str(), (long long)ev.crops,
                heldOut ? "held-out" : "training", (long long)side, o->data.c_str());
    std::printf("  scale   bicubic PSNR / SSIM   decoder PSNR / SSIM   gain     decoder LR consistency\n");
    for (const SrScaleScore& s : ev.scales)
      std::printf("  x%-5.3g  %6.2f dB / %.4f     %6.2f dB / %.4f    %+5.2f dB  %6.2f dB\n", s.scale, s.bicubicPsnr,
                  s.bicubicSsim, s.decoderPsnr, s.decoderSsim, s.decoderPsnr - s.bicubicPsnr, s.decoderLrConsistencyPsnr);
    if (diffusion) {
      std::printf("diffusion stage on %lld of them (spread over the set), %d samples of %d steps each:\n",
                  (long long)dev.crops, dev.samples, dev.steps);
      std::printf("  scale   bicubic    decoder    1 sample PSNR / SSIM  mean of samples       average picture      LR consistency\n");
      for (size_t i = 0; i < dev.scales.size(); ++i) {
        const SrDiffusionScore& s = dev.scales[i];
        std::printf("  x%-5.3g  %6.2f dB  %6.2f dB  %6.2f dB / %.4f     %6.2f dB / %.4f    %6.2f dB / %.4f   %6.2f dB\n",
                    s.scale, devBase.scales[i].bicubicPsnr, devBase.scales[i].decoderPsnr, s.onePsnr, s.oneSsim,
                    s.meanPsnr, s.meanSsim, s.averagePsnr, s.averageSsim, s.lrConsistencyPsnr);
      }
    }
    if (!o->out.empty()) {
      nlohmann::json j = srScoresJson(ev);
      j["model"] = modelPath.string();
      j["data"] = o->data;
      j["crop_side"] = side;
      j["split"] = heldOut ? "held-out (test/)" : "training (the set has no held-out crops)";
      if (diffusion) {
        nlohmann::json rows = nlohmann::json::array();
        for (size_t i = 0; i < dev.scales.size(); ++i) {
          const SrDiffusionScore& s = dev.scales[i];
          const SrScaleScore& b = devBase.scales[i];
          rows.push_back({{"scale", s.scale},
                          {"bicubic_psnr_db", b.bicubicPsnr},
                          {"bicubic_ssim", b.bicubicSsim},
                          {"decoder_psnr_db", b.decoderPsnr},
                          {"decoder_ssim", b.decoderSsim},
                          {"one_sample_psnr_db", s.onePsnr},
                          {"one_sample_ssim", s.oneSsim},
                          {"mean_of_samples_psnr_db", s.meanPsnr},
                          {"mean_of_samples_ssim", s.meanSsim},
                          {"average_picture_psnr_db", s.averagePsnr},
                          {"average_picture_ssim", s.averageSsim},
                          {"one_sample_lr_consistency_psnr_db", s.lrConsistencyPsnr}});
        }
        j["diffusion"] = {{"crops", dev.crops}, {"samples", dev.samples}, {"steps", dev.steps}, {"by_scale", rows}};
      } else {
        j["diffusion"] = model->hasDiffusion ? "present, not evaluated (--decoder-only)" : "none in this model (decoder only)";
      }
      writeBytesAtomically(o->out, j.dump(2) + "\n");
      std::printf("wrote %s\n", o->out.c_str());
    }
    if (!o->pictures.empty()) {
      torch::NoGradGuard noGrad;
      const int64_t lrSide = lowResSide(side, 4.0);
      const torch::Tensor hr = bytesToUnit(spreadCrops(crops, 6));
      const torch::Tensor lr = degrade(hr, lrSide, lrSide);
      const auto nearest = torch::nn::functional::interpolate(
          lr, torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{side, side}).mode(torch::kNearest));
      const torch::Tensor decoder = decoderOnlyUpscale(model->ae, lr, side, side).clamp(-1, 1);
      std::vector<torch::Tensor> columns{nearest, cubicResize(lr, side, side).clamp(-1, 1), decoder};
      if (diffusion) {
        const torch::Tensor two = diffusionUpscale(model->ae, *model->diffusion, lr, side, side, 2, o->steps).clamp(-1, 1);
        columns.push_back(two.select(1, 0));
        columns.push_back(two.select(1, 1));
      }
      columns.push_back(hr);
      writeImageGrid(o->pictures, torch::stack(columns, 1).flatten(0, 1), int(columns.size()));
      std::printf("wrote %s (rows: crops; columns: input x4 nearest | bicubic | decoder%s | original)\n",
                  o->pictures.c_str(), diffusion ? " | diffusion seed 0 | diffusion seed 1" : "");
    }
  });
}

}  // namespace fieldscope
