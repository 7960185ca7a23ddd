// fieldscope train emoji-classifier --data DIR -o C.fsm
// fieldscope eval samples --model M --data DIR [--classifier C] [--count 2000] [-o scores.json]
// (docs/architecture.md "Sample quality")
#include <CLI/CLI.hpp>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cstdio>
#include <memory>

#include "app/cli/command_registry.h"
#include "app/cli/compute_flags.h"
#include "app/cli/long_run.h"
#include "app/cli/model_subcommands.h"
#include "app/cli/shipped_models.h"
#include "app/cli/train_compute.h"
#include "app/cli/train_flags.h"
#include "app/domains/image/cli/image_commands.h"
#include "model/checkpoint/checkpoint_peek.h"
#include "model/data/image_folder.h"
#include "model/eval/emoji_classifier.h"
#include "model/eval/group_agreement.h"
#include "model/eval/image_sample_pictures.h"
#include "model/eval/sample_quality.h"
#include "model/image/image_model.h"
#include "model/io/atomic_file.h"
#include "model/train/emoji_classifier_trainer.h"
#include "model/train/train_support.h"

namespace fieldscope {

namespace {

// The shipped classifier: classifiers/emoji-classifier.fsm beside a folder of shipped models
// (kept out of models/, whose files the viewer's pickers list).
std::filesystem::path shippedClassifier() {
  for (const auto& dir : modelSearchDirs()) {
    const auto c = dir.parent_path() / "classifiers" / "emoji-classifier.fsm";
    std::error_code ec;
    if (std::filesystem::is_regular_file(c, ec)) return c;
  }
  return {};
}

void registerClassifierTraining(CommandRegistry& registry) {
  auto o = std::make_shared<EmojiClassifierTrainOptions>();
  auto compute = std::make_shared<TrainingCompute>();
  CLI::App* train = registry.verb("train", "train a model");
  CLI::App* c = train->add_subcommand(
      "emoji-classifier", "train the emoji subgroup classifier whose features `eval samples` compares");
  c->add_option("--data", o->dataDir, "emoji set folder (from `fieldscope data emoji`)")->required();
  addTrainingRunOptions(c, o->run, "output classifier (.fsm)");
  c->add_option("--font", o->font, "the font the set was made with (labels its glyphs)")->default_val(o->font.string());
  c->add_option("--emoji-test", o->emojiTest, "Unicode's emoji-test.txt (package unicode-data): the classes")
      ->default_val(o->emojiTest.string());
  c->add_option("--resolution", o->resolution, "input side")->default_val(o->resolution)->check(CLI::Range(16, 256));
  c->add_option("--width", o->width, "channels of the first stage")->default_val(o->width)->check(CLI::Range(4, 256));
  c->add_option("--batch", o->batch, "pictures per step")->default_val(o->batch)->check(CLI::Range(1, 4096));
  c->add_option("--lr", o->lr, "peak learning rate")->default_val(o->lr)->check(CLI::Range(1e-7, 1.0));
  addTrainingComputeOptions(c, *compute, false);
  c->callback([o, compute] {
    if (startTrainingCommand(o->run, *compute)) return;
    const auto r = trainEmojiClassifier(*o);
    char what[160] = "";
    if (!r.interrupted)
      std::snprintf(what, sizeof what, ": held-out accuracy %.1f %% (subgroups), %.1f %% (groups) over %lld pictures",
                    100 * r.heldOutSubgroupAccuracy, 100 * r.heldOutGroupAccuracy, static_cast<long long>(r.heldOutImages));
    reportTrainingRun(what, o->run, r.interrupted, r.stepsDone, r.seconds);
  });
}

void registerSampleEval(CommandRegistry& registry) {
  struct Opts {
    std::string model, data, classifier, out, group, guidance;
    int64_t count = 2000;
    int steps = 50;
    float eta = 0;
    uint64_t seed = 0;
    int threads = 0;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* ev = registry.verb("eval", "evaluate a model");
  CLI::App* c = ev->add_subcommand(
      "samples", "sample quality: Fréchet distance and precision/recall (k = 3) of a model's samples against a data "
                 "set's held-out pictures, in an emoji classifier's feature space, beside the floor (training "
                 "pictures) and the VAE's reconstructions");
  c->add_option("--model", o->model, "image model (vae+ldm)")->required();
  c->add_option("--data", o->data, "its data set folder (the held-out 10% is the reference)")->required();
  c->add_option("--classifier", o->classifier, "emoji classifier (default: the shipped classifiers/emoji-classifier.fsm)");
  c->add_option("--count", o->count, "samples (seeds --seed .. --seed+count-1) and training pictures (a fixed random subset)")
      ->default_val(o->count)->check(CLI::Range(4, 1000000));
  c->add_option("--steps", o->steps, "DDIM steps")->default_val(o->steps)->check(CLI::Range(1, 1000));
  c->add_option("--eta", o->eta, "DDIM eta (0: deterministic path, 1: DDPM-like)")->default_val(0.f)->check(CLI::Range(0.f, 1.f));
  c->add_option("--seed", o->seed, "first seed")->default_val(0);
  c->add_option("--group", o->group, "a class-conditional model's group: any (each seed its own, by the training "
                                     "shares; the default), none (unguided) or one group");
  c->add_option("--guidance", o->guidance, "classifier-free guidance scale (default: the model's)");
  c->add_option("-o,--out", o->out, "write the scores as JSON");
  c->add_option("--threads", o->threads, "torch threads (default: all cores)");
  c->callback([o] {
    setTorchThreads(o->threads);
    const std::string classifierPath = o->classifier.empty() ? shippedClassifier().string() : o->classifier;
    if (classifierPath.empty())
      throw std::runtime_error("no emoji classifier: pass --classifier (make one with `fieldscope train emoji-classifier`)");
    const std::string domain = checkpointDomain(o->model);
    if (domain != "image")
      throw std::runtime_error("'" + o->model + "' is a " + domain +
                               " model: `eval samples` scores image models (the emoji classifier's domain)");
    EmojiClassifier classifier = loadEmojiClassifier(classifierPath);
    auto model = ImageModel::load(o->model);
    if (!model->canSample()) throw std::runtime_error("'" + o->model + "' has no diffusion model: it cannot sample");
    ClassGuidance guide;
    try {
      guide = resolveClassGuidance(model->classes(), o->group, o->guidance);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error("model '" + o->model + "': " + e.what());
    }
    if (!o->out.empty()) checkWritable(o->out);
    const ImageDataset data = loadImageFolder(o->data, model->trainResolution());
    if (data.heldOut.images.size(0) < 4)
      throw std::runtime_error("'" + o->data + "' holds " + std::to_string(data.heldOut.images.size(0)) +
                               " held-out pictures: too few to compare against");
    const torch::Tensor reference = classifierFeatures(classifier, data.heldOut.images);
    const int64_t n = std::min<int64_t>(o->count, data.train.images.size(0));
    // A fixed random subset: the folder's order (by glyph) groups kinds of emoji together.
    auto pick = at::detail::createCPUGenerator(0);
    const torch::Tensor train =
        data.train.images.index_select(0, torch::randperm(data.train.images.size(0), pick, torch::kInt64).narrow(0, 0, n));
    std::vector<SetScore> rows;
    rows.push_back(scorePictureSet("floor: training pictures", classifier, reference, train));
    LongRun run("pictures");
    rows.push_back(scorePictureSet("VAE reconstructions", classifier, reference,
                                   reconstructImagePictures(*model, train, run.progress("reconstructions"))));
    SamplePicturesOptions so;
    so.firstSeed = o->seed;
    so.count = o->count;
    so.steps = o->steps;
    so.eta = o->eta;
    so.guidance = guide;
    so.progress = run.progress("samples");
    so.cancelled = run.cancelled();
    const torch::Tensor samples = sampleImagePictures(*model, so);
    run.finish(samples.size(0) < o->count, o->out.empty() ? std::string("the terminal") : o->out);
    rows.push_back(scorePictureSet("samples", classifier, reference, samples));
    // A class-conditional model: how often the classifier sees the group each seed was sampled
    // for (under "none" and w = 0: the group "any" would have drawn, the chance baseline).
    // A model of subgroups (its classes name their groups) is scored at both levels.
    nlohmann::json agreement, subgroupAgreement;
    if (!model->classes().empty() && samples.size(0) > 0) {
      const DiffusionClasses& cl = model->classes();
      ClassGuidance drawn = guide;
      if (drawn.classIndex == kNoClass) drawn.classIndex = kAnyClass;
      std::vector<std::string> wanted, groups;
      for (int64_t i = 0; i < samples.size(0); ++i) {
        const size_t c = size_t(classForSeed(cl, drawn, o->seed + uint64_t(i)));
        wanted.push_back(cl.names.at(c));
        groups.push_back(cl.parents.empty() ? cl.names[c] : cl.parents.at(c));
      }
      agreement = groupAgreement(classifier, samples, groups);
      if (!cl.parents.empty()) subgroupAgreement = groupAgreement(classifier, samples, wanted);
    }

    std::printf("%-26s %8s %10s %10s %8s\n", "set", "pictures", "Frechet", "precision", "recall");
    nlohmann::json table = nlohmann::json::array();
    for (const SetScore& s : rows) {
      std::printf("%-26s %8lld %10.2f %10.3f %8.3f\n", s.name.c_str(), static_cast<long long>(s.count), s.frechet,
                  s.precision, s.recall);
      table.push_back(toJson(s));
    }
    if (!agreement.is_null())
      std::printf("group agreement (the classifier's group is the one sampled for; group %s, guidance %.2f): %.3f\n",
                  className(model->classes(), guide.classIndex).c_str(), guide.scale, agreement.get<double>());
    if (!subgroupAgreement.is_null())
      std::printf("subgroup agreement (the classifier's subgroup is the one sampled for): %.3f\n", subgroupAgreement.get<double>());
    std::printf("reference: %lld held-out pictures of %s; features: %s (%d-d)\n",
                static_cast<long long>(reference.size(0)), o->data.c_str(), classifierPath.c_str(),
                classifier->config().featureDim());
    if (!o->out.empty()) {
      const nlohmann::json j = {{"model", o->model},
                                {"data", o->data},
                                {"classifier", classifierPath},
                                {"reference_pictures", reference.size(0)},
                                {"ddim_steps", o->steps},
                                {"ddim_eta", o->eta},
                                {"seeds", {o->seed, o->seed + static_cast<uint64_t>(o->count) - 1}},
                                {"k", 3},
                                {"group_agreement", agreement},
                                {"subgroup_agreement", subgroupAgreement},
                                {"group", model->classes().empty() ? nlohmann::json() : nlohmann::json(className(model->classes(), guide.classIndex))},
                                {"guidance", model->classes().empty() ? nlohmann::json() : nlohmann::json(guide.scale)},
                                {"sets", table}};
      writeBytesAtomically(o->out, j.dump(2) + "\n");
      std::printf("wrote %s\n", o->out.c_str());
    }
  });
}

}  // namespace

void registerSampleQualityCommands(CommandRegistry& registry) {
  registerClassifierTraining(registry);
  registerSampleEval(registry);
}

}  // namespace fieldscope
