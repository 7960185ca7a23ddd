#include "model/train/image_ldm_trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

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

// The class of every training picture (-1 where its glyph has none) and the classes: the Unicode
// emoji groups (`--classes emoji-groups`) or the subgroups that have training pictures, in the
// file's order (`emoji-subgroups`, each stored with its group: DiffusionClasses::parents).
torch::Tensor emojiClassLabels(const ImageLdmTrainOptions& o, const std::vector<std::string>& names, DiffusionClasses& classes) {
  const EmojiLabels labels = readEmojiLabels(o.font, o.emojiTest);
  const bool subgroups = o.classes == "emoji-subgroups";
  std::vector<int> fine;  // each picture's group or subgroup index in `labels`
  std::vector<double> counts(subgroups ? labels.subgroups.size() : labels.groups.size(), 0.0);
  int labelled = 0;
  for (const auto& n : names) {
    const int sub = labels.subgroupOfFile(n);
    const int c = sub < 0 ? kNoClass : subgroups ? sub : labels.groupOfSubgroup.at(size_t(sub));
    fine.push_back(c);
    if (c >= 0) counts[size_t(c)] += 1, ++labelled;
  }
  if (labelled < int(names.size()) / 2)
    throw std::runtime_error("--classes " + o.classes + ": only " + std::to_string(labelled) + " of " + std::to_string(names.size()) +
                             " pictures in '" + o.dataDir.string() + "' are emoji glyphs of '" + o.font.string() +
                             "' (make the set with `fieldscope data emoji`)");
  std::vector<int64_t> index(counts.size(), kNoClass);  // labels' index -> class index
  classes = DiffusionClasses{};
  for (size_t i = 0; i < counts.size(); ++i) {
    if (subgroups && counts[i] == 0) continue;  // a subgroup without pictures is no class
    index[i] = int64_t(classes.names.size());
    classes.names.push_back(subgroups ? labels.subgroups[i] : labels.groups[i]);
    classes.shares.push_back(counts[i] / labelled);
    if (subgroups) classes.parents.push_back(labels.groups.at(size_t(labels.groupOfSubgroup.at(i))));
  }
  classes.kind = subgroups ? "emoji subgroup" : "emoji group";
  classes.defaultGuidance = o.defaultGuidance;
  std::vector<int64_t> out;
  for (int c : fine) out.push_back(c < 0 ? kNoClass : index[size_t(c)]);
  return torch::tensor(out, torch::kInt64);
}

// LatentDiffusionTrainSpec::initClassRows for a fine-tune from `file` whose classes differ from
// `classes`: a class starts from the file's class of the same name, else from its group's; "no
// class" from the file's. Empty when the file has no classes or the same ones.
std::vector<int64_t> classRowsFrom(const std::filesystem::path& file, const DiffusionClasses& classes) {
  const nlohmann::json cfg = loadCheckpoint(file).config;
  if (!cfg.contains("ldm") || !cfg["ldm"].contains("classes")) return {};
  const auto old = cfg["ldm"]["classes"].at("names").get<std::vector<std::string>>();
  if (old == classes.names) return {};
  std::vector<int64_t> rows;
  for (size_t i = 0; i < classes.names.size(); ++i) {
    const std::string& group = classes.parents.empty() ? classes.names[i] : classes.parents[i];
    auto at = std::find(old.begin(), old.end(), classes.names[i]);
    if (at == old.end()) at = std::find(old.begin(), old.end(), group);
    if (at == old.end())
      throw std::runtime_error("--init-from '" + file.string() + "': its classes have neither '" + classes.names[i] + "' nor its group '" +
                               group + "'");
    rows.push_back(at - old.begin());
  }
  rows.push_back(int64_t(old.size()));  // "no class"
  return rows;
}

}  // namespace

ImageLdmTrainResult trainImageLdm(const ImageLdmTrainOptions& o) {
  if (o.batch <= 0) throw std::runtime_error("--batch must be positive");
  TimestepWeighting weighting;
  try {
    weighting = TimestepWeighting::parse(o.lossWeighting);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(std::string("--loss-weighting: ") + e.what());
  }
  if (o.latentScale != "auto" && o.latentScale != "unit" && o.latentScale != "none")
    throw std::runtime_error("--latent-scale: expected auto, unit or none, not '" + o.latentScale + "'");
  if (!std::isnan(o.gateStart) && !(std::abs(o.gateStart) <= 20))
    throw std::runtime_error("--gate-start must lie in [-20, 20]");
  if (std::isfinite(o.gateStart) && !o.initFrom.empty())
    throw std::runtime_error("--gate-start with --init-from: the UNet starts with the file's gate (leave --gate-start out)");
  const Checkpoint vaeCkpt = loadCheckpoint(o.vaePath, "image");
  checkTrainingRun(o.run);  // before encoding the data set: a bad path should not wait for it
  ImageVae vae = restoreVae(vaeCkpt);
  const ImageVaeConfig& vcfg = vae->config();
  if (!o.classes.empty() && o.classes != "emoji-groups" && o.classes != "emoji-subgroups")
    throw std::runtime_error("--classes: unknown labels '" + o.classes + "' (expected emoji-groups or emoji-subgroups)");
  if (!(o.labelDropout >= 0 && o.labelDropout < 1)) throw std::runtime_error("--label-dropout must lie in [0, 1)");
  const ImageSet train = loadImageFolder(o.dataDir, vcfg.resolution).train;
  EncodedLatents latents = encodeLatents(vae, train.images, o.run.seed, o.run.device);
  DiffusionClasses classes;
  if (!o.classes.empty()) latents.labels = emojiClassLabels(o, train.names, classes);
  LatentDiffusionTrainSpec spec;
  spec.domain = "image";
  spec.run = &o.run;
  spec.batch = o.batch;
  spec.lr = o.lr;
  spec.unet = UNetConfig::preset_(o.preset, vcfg.latentChannels, vcfg.latentResolution());
  spec.unet.numClasses = int(classes.names.size());
  if (o.unetChannels < 0 || o.unetBlocks < 0) throw std::runtime_error("--unet-channels and --unet-blocks must not be negative");
  if (o.unetChannels > 0) spec.unet.baseChannels = o.unetChannels;
  if (o.unetBlocks > 0) spec.unet.numResBlocks = o.unetBlocks;
  spec.classes = classes;
  spec.labelDropout = o.labelDropout;
  if (!(o.emaDecay >= 0.9 && o.emaDecay < 1)) throw std::runtime_error("--ema-decay must lie in [0.9, 1)");
  spec.emaDecay = o.emaDecay;
  spec.weighting = weighting;
  spec.initFrom = o.initFrom;
  if (!o.initFrom.empty() && !classes.empty()) spec.initClassRows = classRowsFrom(o.initFrom, classes);
  if (vcfg.ddmi()) {  // a faithful VAE gets the authors' UNet and (by default) their unscaled latents
    spec.ddmiUnet = DdmiUNetConfig::preset_(o.preset, vcfg.latentChannels, vcfg.latentResolution());
    if (o.unetChannels > 0) spec.ddmiUnet->modelChannels = o.unetChannels;
    if (o.unetBlocks > 0) spec.ddmiUnet->numResBlocks = o.unetBlocks;
    spec.ddmiUnet->numClasses = int(classes.names.size());  // guided-diffusion's label_emb
    if (o.latentScale != "unit") latents.scale = 1.0;
    spec.ddmiGateStart = o.gateStart;
  } else {
    if (o.latentScale == "none") latents.scale = 1.0;
    if (std::isfinite(o.gateStart)) throw std::runtime_error("--gate-start: only the authors' UNet (a ddmi VAE) has that gate");
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
