#include "model/train/image_ldm_trainer.h"

#include <torch/torch.h>

#include <algorithm>

#include "model/checkpoint/checkpoint.h"
#include "model/data/emoji_labels.h"
#include "model/data/image_folder.h"
#include "model/image/image_vae_io.h"
#include "model/train/latent_diffusion_trainer.h"

namespace fieldscope {

namespace {

// The training set as posterior means and standard deviations: encoded once, sampled every step.
// Encoded on `device`; the latents are kept on the CPU (the trainer gathers its batches there).
EncodedLatents encodeLatents(ImageVae& vae, const torch::Tensor& images, uint64_t seed, const torch::Device& device) {
  torch::NoGradGuard ng;
  vae->to(device);
  const int64_t n = images.size(0);
  std::vector<torch::Tensor> m, s;
  for (int64_t i = 0; i < n; i += 64) {
    Posterior p = vae->encode(images.narrow(0, i, std::min<int64_t>(64, n - i)).to(device));
    m.push_back(p.mean.cpu());
    s.push_back(torch::exp(0.5 * p.logvar).cpu());
  }
  return withLatentScale(torch::cat(m), torch::cat(s), seed);
}

// The Unicode emoji group of every training picture (-1 where its glyph has none) and the groups.
torch::Tensor emojiGroupLabels(const ImageLdmTrainOptions& o, const std::vector<std::string>& names, DiffusionClasses& classes) {
  const EmojiLabels labels = readEmojiLabels(o.font, o.emojiTest);
  std::vector<int64_t> out;
  std::vector<double> counts(labels.groups.size(), 0.0);
  int labelled = 0;
  for (const auto& n : names) {
    const int sub = labels.subgroupOfFile(n);
    const int g = sub < 0 ? kNoClass : labels.groupOfSubgroup.at(size_t(sub));
    out.push_back(g);
    if (g >= 0) counts[size_t(g)] += 1, ++labelled;
  }
  if (labelled < int(names.size()) / 2)
    throw std::runtime_error("--classes emoji-groups: only " + std::to_string(labelled) + " of " + std::to_string(names.size()) +
                             " pictures in '" + o.dataDir.string() + "' are emoji glyphs of '" + o.font.string() +
                             "' (make the set with `fieldscope data emoji`)");
  for (double& c : counts) c /= labelled;
  classes.kind = "emoji group";
  classes.names = labels.groups;
  classes.shares = counts;
  classes.defaultGuidance = o.defaultGuidance;
  return torch::tensor(out, torch::kInt64);
}

}  // namespace

ImageLdmTrainResult trainImageLdm(const ImageLdmTrainOptions& o) {
  if (o.batch <= 0) throw std::runtime_error("--batch must be positive");
  const Checkpoint vaeCkpt = loadCheckpoint(o.vaePath, "image");
  checkTrainingRun(o.run);  // before encoding the data set: a bad path should not wait for it
  ImageVae vae = restoreVae(vaeCkpt);
  const ImageVaeConfig& vcfg = vae->config();
  if (!o.classes.empty() && o.classes != "emoji-groups")
    throw std::runtime_error("--classes: unknown labels '" + o.classes + "' (expected emoji-groups)");
  if (!(o.labelDropout >= 0 && o.labelDropout < 1)) throw std::runtime_error("--label-dropout must lie in [0, 1)");
  const ImageSet train = loadImageFolder(o.dataDir, vcfg.resolution).train;
  EncodedLatents latents = encodeLatents(vae, train.images, o.run.seed, o.run.device);
  DiffusionClasses classes;
  if (!o.classes.empty()) latents.labels = emojiGroupLabels(o, train.names, classes);
  LatentDiffusionTrainSpec spec;
  spec.domain = "image";
  spec.run = &o.run;
  spec.batch = o.batch;
  spec.lr = o.lr;
  spec.unet = UNetConfig::preset_(o.preset, vcfg.latentChannels, vcfg.latentResolution());
  spec.unet.numClasses = int(classes.names.size());
  spec.classes = classes;
  spec.labelDropout = o.labelDropout;
  spec.initFrom = o.initFrom;
  if (vcfg.ddmi() && !classes.empty()) throw std::runtime_error("--classes: the authors' UNet (a ddmi VAE) has no class input");
  if (vcfg.ddmi()) {  // a faithful VAE gets the authors' UNet and their unscaled latents
    spec.ddmiUnet = DdmiUNetConfig::preset_(o.preset, vcfg.latentChannels, vcfg.latentResolution());
    latents.scale = 1.0;
  }
  spec.vaeFile = std::filesystem::absolute(o.vaePath).string();
  spec.modelBase = [&, base = modelBaseFromVae(vaeCkpt)](const TrainingProgress& p) {
    Checkpoint m = base(p);
    m.config["preset"] = vcfg.preset;
    m.config["vae"] = vcfg.toJson();
    return m;
  };
  const LatentDiffusionTrainResult r = trainLatentDiffusion(spec, latents);
  return {r.stepsDone, r.interrupted, r.seconds};
}

}  // namespace fieldscope
