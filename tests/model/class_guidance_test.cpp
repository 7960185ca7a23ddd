// Classifier-free guidance (docs/architecture.md "Models", issue 16): the class a seed draws, the
// names a user types, a class-conditional UNet that starts as the unconditional one it was
// fine-tuned from, the guided ε, and `train image-ldm --classes emoji-groups` / `sample --group`
// end to end on tiny models.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "app/domains/image/cli/image_commands.h"
#include "model/checkpoint/checkpoint.h"
#include "model/data/emoji_font.h"
#include "model/data/emoji_labels.h"
#include "model/diffusion/class_guidance.h"
#include "model/diffusion/ddmi_unet.h"
#include "model/diffusion/latent_diffusion.h"
#include "model/diffusion/unet.h"
#include "model/eval/emoji_classifier.h"
#include "model/eval/group_agreement.h"
#include "model/image/image_model.h"
#include "model/image/image_vae_io.h"
#include "model/io/png_file.h"
#include "tests/model/cli_runner.h"
#include "tests/model/test_support.h"
#include "tests/model/tiny_emoji_model.h"

namespace fieldscope {
namespace {

TEST(ClassGuidance, ASeedDrawsItsClassByTheSharesAndNeverAnEmptyOne) {
  const std::vector<double> shares{0.7, 0.0, 0.3};
  std::vector<int> counts(3, 0);
  for (uint64_t seed = 0; seed < 20000; ++seed) ++counts[size_t(classOfSeed(seed, shares))];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[0] / 20000.0, 0.7, 0.02);
  EXPECT_NEAR(counts[2] / 20000.0, 0.3, 0.02);
  EXPECT_EQ(classOfSeed(12345, shares), classOfSeed(12345, shares));
  EXPECT_THROW(classOfSeed(1, {}), std::invalid_argument);
}

TEST(ClassGuidance, ASeedsClassIsTheChosenOneOrUnderAnyItsOwn) {
  DiffusionClasses classes;
  classes.names = {"A", "B", "C"};
  classes.shares = {0.2, 0.5, 0.3};
  for (uint64_t seed : {0ull, 7ull, 99ull}) {
    EXPECT_EQ(classForSeed(classes, ClassGuidance{1, 2.0}, seed), 1);
    EXPECT_EQ(classForSeed(classes, ClassGuidance{kNoClass, 0.0}, seed), kNoClass);
    EXPECT_EQ(classForSeed(classes, ClassGuidance{kAnyClass, 2.0}, seed), classOfSeed(seed, classes.shares));
  }
}

TEST(ClassGuidance, GroupNamesResolveByPrefixAndBadOnesAreRefusedWithTheList) {
  DiffusionClasses c{"emoji group", {"Smileys & Emotion", "Animals & Nature", "Flags", "Food & Drink", "Component"},
                     {0.3, 0.3, 0.2, 0.2, 0.0}, 2.5};
  EXPECT_EQ(findClass(c.names, "animals"), 1);
  EXPECT_EQ(findClass(c.names, "FLAGS"), 2);
  EXPECT_EQ(findClass(c.names, "3"), 3);
  const ClassGuidance any = resolveClassGuidance(c, "", "");
  EXPECT_EQ(any.classIndex, kAnyClass);
  EXPECT_DOUBLE_EQ(any.scale, 2.5);  // the model's default
  EXPECT_FALSE(resolveClassGuidance(c, "none", "").active());
  EXPECT_EQ(resolveClassGuidance(c, "food", "4").classIndex, 3);
  EXPECT_DOUBLE_EQ(resolveClassGuidance(c, "food", "4").scale, 4.0);
  EXPECT_FALSE(resolveClassGuidance(c, "flags", "0").active());  // w = 0 is unguided
  auto fails = [&](const std::string& g, const std::string& w, const std::string& mention) {
    try {
      resolveClassGuidance(c, g, w);
      ADD_FAILURE() << g << " / " << w << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(mention), std::string::npos) << e.what();
    }
  };
  fails("dogs", "", "Smileys & Emotion, Animals & Nature");  // lists what there is
  fails("f", "", "several");                                 // Flags, Food & Drink
  fails("component", "", "no training picture");
  fails("flags", "-1", "--guidance");
  fails("flags", "2x", "--guidance");
  fails("7", "", "no class number");
  // a model without classes takes neither
  EXPECT_FALSE(resolveClassGuidance({}, "", "").active());
  EXPECT_THROW(resolveClassGuidance({}, "flags", ""), std::invalid_argument);
  EXPECT_THROW(resolveClassGuidance({}, "", "2"), std::invalid_argument);
}

// A model of subgroups is guided towards a whole group too ("flags"): each seed draws one of that
// group's subgroups by their shares, and the group's name round-trips through the CLI's --group.
TEST(ClassGuidance, AGroupOfSubgroupsGuidesEachSeedToOneOfItsSubgroups) {
  DiffusionClasses c{"emoji subgroup", {"face-smiling", "face-hand", "flag", "country-flag", "subdivision-flag", "family"},
                     {0.2, 0.1, 0.0, 0.5, 0.1, 0.1}, 1.0, {"Smileys & Emotion", "Smileys & Emotion", "Flags", "Flags", "Flags", "People & Body"}};
  EXPECT_EQ(groupsOf(c), (std::vector<std::string>{"Smileys & Emotion", "Flags", "People & Body"}));
  EXPECT_TRUE(groupsOf(DiffusionClasses{"emoji group", {"A", "B"}, {0.5, 0.5}, 1.0}).empty());
  const ClassGuidance flags = resolveClassGuidance(c, "flags", "");
  EXPECT_EQ(flags.classIndex, groupClass(1));
  EXPECT_TRUE(flags.active());
  EXPECT_EQ(className(c, flags.classIndex), "Flags");
  EXPECT_EQ(resolveClassGuidance(c, className(c, flags.classIndex), "").classIndex, flags.classIndex);
  EXPECT_EQ(findClass(c.names, "flag"), 2);  // a class's own name wins over the group's prefix: "flag" is
  EXPECT_THROW(resolveClassGuidance(c, "flag", ""), std::invalid_argument);  // that subgroup, which had no picture
  EXPECT_EQ(resolveClassGuidance(c, "smileys", "").classIndex, groupClass(0));
  std::vector<int> counts(c.names.size(), 0);
  for (uint64_t seed = 0; seed < 12000; ++seed) ++counts[size_t(classForSeed(c, flags, seed))];
  EXPECT_EQ(counts[0] + counts[1] + counts[5], 0);  // never outside the group
  EXPECT_EQ(counts[2], 0);                          // never a subgroup without pictures
  EXPECT_NEAR(counts[3] / 12000.0, 0.5 / 0.6, 0.02);
  EXPECT_EQ(classForSeed(c, flags, 77), classForSeed(c, flags, 77));
  EXPECT_TRUE(validClassIndex(c, groupClass(2)));
  EXPECT_FALSE(validClassIndex(c, groupClass(3)));
  EXPECT_FALSE(validClassIndex(c, -3));
  EXPECT_TRUE(validClassIndex(c, kAnyClass) && validClassIndex(c, kNoClass) && validClassIndex(c, 5));
  EXPECT_FALSE(validClassIndex(c, 6));
  try {
    resolveClassGuidance(c, "dogs", "");
    ADD_FAILURE() << "dogs was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("nor a group of them (Smileys & Emotion, Flags, People & Body)"), std::string::npos) << e.what();
  }
  DiffusionClasses empty = c;
  empty.shares = {0.5, 0.5, 0.0, 0.0, 0.0, 0.0};
  EXPECT_THROW(resolveClassGuidance(empty, "flags", ""), std::invalid_argument);  // the group had no picture
}

// A fine-tune starts from the unconditional model (the class embedding is zero), and the guided
// ε is ε_u + w (ε_c − ε_u) with both halves from the one batched call.
TEST(ClassConditionalUNet, StartsAsTheUnconditionalModelAndGuidanceMixesBothPredictions) {
  torch::manual_seed(3);
  UNetConfig cfg = UNetConfig::preset_("tiny", 4, 8);
  cfg.numClasses = 3;
  EXPECT_EQ(UNetConfig::fromJson(cfg.toJson()).numClasses, 3);
  LatentDiffusion ld;
  ld.unet = UNet(cfg);
  ld.unet->eval();
  torch::NoGradGuard ng;
  // the output layer starts at zero: give it weights so ε depends on the input
  for (auto& p : ld.unet->named_parameters())
    if (p.key().rfind("conv_out", 0) == 0) p.value().normal_(0, 0.1);
  const auto x = torch::randn({2, 4, 8, 8}), t = torch::tensor({500, 20}, torch::kInt64), s = torch::full({2}, 0.5f);
  const auto labels = torch::tensor({0, 2}, torch::kInt64);
  const auto plain = ld.unet->forward(x, t, s);
  EXPECT_TRUE(torch::equal(plain, ld.unet->forward(x, t, s, {}, labels)));  // zero embedding: no effect yet
  ld.unet->named_parameters()["class_emb.weight"].normal_(0, 1);
  const auto cond = ld.unet->forward(x, t, s, {}, labels);
  const auto uncond = ld.unet->forward(x, t, s, {}, torch::full({2}, int64_t(kNoClass)));
  EXPECT_TRUE(torch::allclose(uncond, ld.unet->forward(x, t, s)));  // no labels = "no class"
  EXPECT_GT((cond - uncond).abs().max().item<double>(), 1e-4);
  EXPECT_TRUE(torch::allclose(ld.epsilon(labels, 3.0)(x, t, s), uncond + 3.0 * (cond - uncond), 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(ld.epsilon(labels, 1.0)(x, t, s), cond, 1e-6, 1e-6));
  EXPECT_TRUE(torch::allclose(ld.epsilon(labels, 0.0)(x, t, s), uncond, 1e-6, 1e-6));
  EXPECT_THROW(ld.unet->forward(x, t, s, {}, torch::tensor({0, 4}, torch::kInt64)), std::invalid_argument);
  // a model without classes refuses labels
  LatentDiffusion plainModel;
  plainModel.unet = UNet(UNetConfig::preset_("tiny", 4, 8));
  EXPECT_THROW(plainModel.epsilon(labels, 2.0), std::invalid_argument);
}

// The authors' UNet with guided-diffusion's `num_classes` (label_emb, plus a "no class" row): the same
// start and the same guidance mix as this project's UNet.
TEST(ClassConditionalUNet, TheAuthorsUNetTakesClassesAsGuidedDiffusionDoes) {
  torch::manual_seed(4);
  DdmiUNetConfig cfg = DdmiUNetConfig::preset_("tiny", 4, 8);
  EXPECT_FALSE(cfg.toJson().contains("num_classes"));  // the released models' config text stays as it was
  cfg.numClasses = 3;
  EXPECT_EQ(DdmiUNetConfig::fromJson(cfg.toJson()).numClasses, 3);
  LatentDiffusion ld;
  ld.ddmiUnet = DdmiUNet(cfg);
  ld.ddmiUnet->eval();
  EXPECT_EQ(ld.numClasses(), 3);
  torch::NoGradGuard ng;
  auto params = ld.ddmiUnet->named_parameters();
  ASSERT_EQ(params["label_emb.weight"].sizes(), (std::vector<int64_t>{4, 4 * 32}));
  params["mixing_logit"].fill_(6.0);  // the network's share of eps near 1
  for (auto& p : params)
    if (p.key().rfind("out.2", 0) == 0) p.value().normal_(0, 0.1);  // guided-diffusion zeroes the output conv
  const auto x = torch::randn({2, 4, 8, 8}), t = torch::tensor({500, 20}, torch::kInt64), s = torch::full({2}, 0.5f);
  const auto labels = torch::tensor({0, 2}, torch::kInt64);
  const auto plain = ld.ddmiUnet->forward(x, t, s);
  EXPECT_TRUE(torch::equal(plain, ld.ddmiUnet->forward(x, t, s, labels)));  // zero rows: no effect yet
  params["label_emb.weight"].normal_(0, 1);
  const auto cond = ld.ddmiUnet->forward(x, t, s, labels);
  const auto uncond = ld.ddmiUnet->forward(x, t, s, torch::full({2}, int64_t(kNoClass)));
  EXPECT_TRUE(torch::allclose(uncond, ld.ddmiUnet->forward(x, t, s)));
  EXPECT_GT((cond - uncond).abs().max().item<double>(), 1e-4);
  EXPECT_TRUE(torch::allclose(ld.epsilon(labels, 3.0)(x, t, s), uncond + 3.0 * (cond - uncond), 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(ld.epsilon(labels, 1.0)(x, t, s), cond, 1e-6, 1e-6));
  EXPECT_TRUE(torch::allclose(ld.epsilon(labels, 0.0)(x, t, s), uncond, 1e-6, 1e-6));
  EXPECT_THROW(ld.ddmiUnet->forward(x, t, s, torch::tensor({0, 4}, torch::kInt64)), std::invalid_argument);
  LatentDiffusion released;  // an imported model has no classes
  released.ddmiUnet = DdmiUNet(DdmiUNetConfig::preset_("tiny", 4, 8));
  EXPECT_THROW(released.epsilon(labels, 2.0), std::invalid_argument);
  EXPECT_THROW(released.ddmiUnet->forward(x, t, s, labels), std::invalid_argument);
}

bool haveEmojiFiles() {
  return std::filesystem::exists(kDefaultEmojiFont) && std::filesystem::exists(kDefaultEmojiTestFile);
}

const test::CliRunner guidanceCli(DomainList{{"image", registerImageCommands, nullptr}});

torch::Tensor readPicture(const std::string& path) {
  const Rgba8Image img = readImageRgba8(path);
  return torch::from_blob(const_cast<uint8_t*>(img.pixels.data()), {int64_t(img.pixels.size())}, torch::kUInt8).clone();
}

TEST(GuidedImageLdm, TrainsOnEmojiGroupsFromAnUnconditionalModelAndSamplesOneGroup) {
  if (!haveEmojiFiles()) GTEST_SKIP() << "needs fonts-noto-color-emoji and unicode-data (scripts/setup.sh installs them)";
  torch::set_num_threads(2);
  test::TempDir dir("guided-ldm");
  const test::TinyEmojiModel tiny = test::trainTinyEmojiModel(guidanceCli, dir.path);
  const std::string& data = tiny.data;
  const std::string& vae = tiny.vae;
  const std::string& plain = tiny.model;
  const auto start = (dir.path / "start.fsm").string(), guided = (dir.path / "guided.fsm").string();
  // --init-from: the class-conditional UNet starts with the unconditional one's weights
  guidanceCli.run({"train", "image-ldm", "--vae", plain, "--data", data, "--preset", "tiny", "-o", start, "--steps", "1",
                   "--batch", "4", "--lr", "1e-12", "--classes", "emoji-groups", "--init-from", plain});
  const Checkpoint p = loadCheckpoint(plain), s = loadCheckpoint(start);
  EXPECT_TRUE(torch::allclose(p.at("ldm.conv_in.weight"), s.at("ldm.conv_in.weight"), 1e-6, 1e-6));
  EXPECT_TRUE(torch::allclose(p.at("ldm.mid1.conv1.weight"), s.at("ldm.mid1.conv1.weight"), 1e-6, 1e-6));
  // a real run learns the class embedding and stores the groups with their training shares
  guidanceCli.run({"train", "image-ldm", "--vae", plain, "--data", data, "--preset", "tiny", "-o", guided, "--steps", "4",
                   "--batch", "8", "--lr", "1e-2", "--classes", "emoji-groups", "--init-from", plain, "--default-guidance", "3"});
  const Checkpoint g = loadCheckpoint(guided);
  const auto& classes = g.config.at("ldm").at("classes");
  EXPECT_EQ(classes.at("kind"), "emoji group");
  EXPECT_EQ(classes.at("default_guidance").get<double>(), 3.0);
  const auto names = classes.at("names").get<std::vector<std::string>>();
  const auto shares = classes.at("shares").get<std::vector<double>>();
  ASSERT_EQ(names.size(), shares.size());
  EXPECT_EQ(names.at(0), "Smileys & Emotion");
  double sum = 0;
  for (double v : shares) sum += v;
  EXPECT_NEAR(sum, 1.0, 1e-9);
  EXPECT_GT(g.at("ldm.class_emb.weight").abs().max().item<double>(), 0.0);
  EXPECT_EQ(g.config.at("training_ldm").at("label_dropout").get<double>(), 0.1);

  // Subgroups, started from the group model: each subgroup's row of the class embedding starts as
  // its group's, "no class" as the file's, the rest of the UNet as the file's; only subgroups with
  // training pictures are classes.
  const auto fine = (dir.path / "fine.fsm").string();
  guidanceCli.run({"train", "image-ldm", "--vae", plain, "--data", data, "--preset", "tiny", "-o", fine, "--steps", "1",
                   "--batch", "4", "--lr", "1e-12", "--classes", "emoji-subgroups", "--init-from", guided});
  const Checkpoint f = loadCheckpoint(fine);
  const auto& fineClasses = f.config.at("ldm").at("classes");
  EXPECT_EQ(fineClasses.at("kind"), "emoji subgroup");
  const auto subNames = fineClasses.at("names").get<std::vector<std::string>>();
  const auto subShares = fineClasses.at("shares").get<std::vector<double>>();
  ASSERT_EQ(subNames.size(), subShares.size());
  EXPECT_GT(subNames.size(), names.size());
  double subSum = 0;
  for (double v : subShares) {
    EXPECT_GT(v, 0.0);
    subSum += v;
  }
  EXPECT_NEAR(subSum, 1.0, 1e-9);
  const EmojiLabels labels = readEmojiLabels(kDefaultEmojiFont);
  const torch::Tensor groupRows = g.at("ldm.class_emb.weight"), subRows = f.at("ldm.class_emb.weight");
  ASSERT_EQ(subRows.size(0), int64_t(subNames.size()) + 1);
  for (size_t i = 0; i < subNames.size(); ++i) {
    const auto sub = std::find(labels.subgroups.begin(), labels.subgroups.end(), subNames[i]);
    ASSERT_NE(sub, labels.subgroups.end()) << subNames[i];
    const std::string& group = labels.groups.at(size_t(labels.groupOfSubgroup.at(size_t(sub - labels.subgroups.begin()))));
    EXPECT_EQ(fineClasses.at("parents").at(i), group) << subNames[i];
    const int64_t row = std::find(names.begin(), names.end(), group) - names.begin();
    ASSERT_LT(row, int64_t(names.size())) << group;
    EXPECT_TRUE(torch::allclose(subRows[int64_t(i)], groupRows[row], 1e-6, 1e-6)) << subNames[i] << " from " << group;
  }
  EXPECT_TRUE(torch::allclose(subRows[-1], groupRows[-1], 1e-6, 1e-6));
  EXPECT_TRUE(torch::allclose(g.at("ldm.conv_in.weight"), f.at("ldm.conv_in.weight"), 1e-6, 1e-6));
  // a guided sample of a subgroup by its name, and of a whole group (each seed one of its subgroups)
  guidanceCli.run({"sample", "--model", fine, "--seed", "1", "--steps", "2", "--size", "16x16", "-o", (dir.path / "s.png").string(),
                   "--group", subNames.front()});
  const std::string wholeGroup = fineClasses.at("parents").at(0).get<std::string>();
  guidanceCli.run({"sample", "--model", fine, "--seed", "1", "--steps", "2", "--size", "16x16", "-o", (dir.path / "t.png").string(),
                   "--group", wholeGroup});
  EXPECT_EQ(nlohmann::json::parse(std::ifstream(dir.path / "t.png.json")).at("group"), wholeGroup);
  guidanceCli.expectFails({"sample", "--model", fine, "--seed", "1", "--steps", "2", "--size", "16x16", "-o",
                           (dir.path / "u.png").string(), "--group", "dogs"},
                          "nor a group of them");

  // Four warm-up steps move the embedding too little to show in 8-bit pictures: give the file a
  // clearly trained-looking one. Then a group is a different picture from another group and from
  // no group; w = 0 is "none".
  {
    Checkpoint edited = g;
    torch::manual_seed(0);
    edited.tensors["ldm.class_emb.weight"] = torch::randn_like(g.at("ldm.class_emb.weight")) * 3;
    saveCheckpoint(guided, edited);
  }
  auto sample = [&](const std::string& out, std::vector<std::string> extra) {
    std::vector<std::string> args{"sample", "--model", guided, "--seed", "5", "--steps", "3", "--size", "16x16", "-o", out};
    args.insert(args.end(), extra.begin(), extra.end());
    guidanceCli.run(args);
    return readPicture(out);
  };
  const auto smileys = sample((dir.path / "a.png").string(), {"--group", "smileys", "--guidance", "4"});
  const auto people = sample((dir.path / "b.png").string(), {"--group", "people", "--guidance", "4"});
  const auto none = sample((dir.path / "c.png").string(), {"--group", "none"});
  const auto zero = sample((dir.path / "d.png").string(), {"--group", "people", "--guidance", "0"});
  EXPECT_FALSE(torch::equal(smileys, people));
  EXPECT_FALSE(torch::equal(smileys, none));
  EXPECT_TRUE(torch::equal(none, zero));
  std::ifstream side(dir.path / "b.png.json");
  const nlohmann::json j = nlohmann::json::parse(side);
  EXPECT_EQ(j.at("group"), "People & Body");
  EXPECT_EQ(j.at("guidance").get<double>(), 4.0);
  // the default is "any" at the model's guidance: each seed its own group
  sample((dir.path / "e.png").string(), {});
  std::ifstream side2(dir.path / "e.png.json");
  const nlohmann::json j2 = nlohmann::json::parse(side2);
  EXPECT_EQ(j2.at("group"), "any");
  EXPECT_EQ(j2.at("guidance").get<double>(), 3.0);

  // the errors name the model and the problem
  guidanceCli.expectFails({"sample", "--model", guided, "--group", "dogs", "-o", (dir.path / "x.png").string()}, "no class 'dogs'");
  guidanceCli.expectFails({"sample", "--model", plain, "--group", "flags", "-o", (dir.path / "x.png").string()}, "no classes");
  guidanceCli.expectFails({"train", "image-ldm", "--vae", plain, "--data", data, "--preset", "tiny", "-o", guided, "--steps", "1",
                           "--classes", "emoji-groups", "--init-from", vae},
                          "no tensor 'ldm.");
  EXPECT_FALSE(std::filesystem::exists(dir.path / "x.png"));
}

// A faithful-architecture VAE (ddmi) trains a class-conditional authors' UNet: guided-diffusion's
// label_emb, the classes in the file, and `sample --group` guiding it.
TEST(GuidedImageLdm, TheAuthorsUNetTrainsOnEmojiGroupsAndSamplesOne) {
  if (!haveEmojiFiles()) GTEST_SKIP() << "needs fonts-noto-color-emoji and unicode-data (scripts/setup.sh installs them)";
  torch::set_num_threads(2);
  test::TempDir dir("guided-ddmi");
  const test::TinyEmojiModel tiny = test::trainTinyEmojiModel(guidanceCli, dir.path);
  torch::manual_seed(2);
  Checkpoint v;
  v.config = {{"domain", "image"}, {"kind", "vae"}, {"preset", "ddmi-tiny"}};
  storeVae(v, ImageVae(ImageVaeConfig::preset_("ddmi-tiny")));  // 16², as the tiny emoji set
  const auto vae = (dir.path / "ddmi-vae.fsm").string(), model = (dir.path / "ddmi-guided.fsm").string();
  saveCheckpoint(vae, v);
  guidanceCli.run({"train", "image-ldm", "--vae", vae, "--data", tiny.data, "--preset", "tiny", "-o", model, "--steps", "3",
                   "--batch", "8", "--lr", "1e-2", "--classes", "emoji-groups", "--latent-scale", "unit", "--gate-start", "6"});
  const Checkpoint g = loadCheckpoint(model);
  EXPECT_EQ(g.config.at("ldm").at("architecture"), "ddmi");
  EXPECT_EQ(g.config.at("ldm").at("classes").at("kind"), "emoji group");
  const auto names = g.config.at("ldm").at("classes").at("names").get<std::vector<std::string>>();
  EXPECT_EQ(g.config.at("ldm").at("unet").at("num_classes"), int(names.size()));
  EXPECT_GT(g.at("ldm.label_emb.weight").abs().max().item<double>(), 0.0);  // learnt from zero
  guidanceCli.run({"sample", "--model", model, "--seed", "1", "--steps", "2", "--size", "16x16", "-o",
                   (dir.path / "g.png").string(), "--group", names.front()});
  EXPECT_EQ(nlohmann::json::parse(std::ifstream(dir.path / "g.png.json")).at("group"), names.front());
}

// What a user of the shipped model relies on: picking a group gives that group. The shipped
// classifier (held-out group accuracy in assets/classifiers/README.md) judges eight seeds sampled
// towards each of three groups, against the same seeds unguided.
TEST(ShippedGuidedModel, SamplesGuidedTowardsAGroupAreMostlyThatGroup) {
  const std::filesystem::path model = FIELDSCOPE_SOURCE_DIR "/assets/models/emoji-image.fsm",
                              classifierFile = FIELDSCOPE_SOURCE_DIR "/assets/classifiers/emoji-classifier.fsm";
  if (!std::filesystem::exists(model) || !std::filesystem::exists(classifierFile)) GTEST_SKIP() << "the shipped model or classifier is missing";
  torch::set_num_threads(2);
  auto m = ImageModel::load(model);
  ASSERT_FALSE(m->classes().empty()) << "the shipped image model should be class-conditional (issue 16)";
  EmojiClassifier classifier = loadEmojiClassifier(classifierFile);
  const std::vector<uint64_t> seeds{100, 101, 102, 103, 104, 105, 106, 107};
  const int r = m->trainResolution();
  auto pictures = [&](const ClassGuidance& g) {
    torch::NoGradGuard ng;
    ImageFields f = m->vae()->decodeFields(m->sampleLatents(seeds, 25, 0.f, g));
    return m->vae()->renderRegion(f, 0, 0, 1, 1, r, r).clamp(-1, 1);
  };
  const auto unguided = pictures({});
  // Every group the model saw: a model of groups samples the group itself; a model of subgroups its
  // largest subgroup in that group, judged by the group. On the shipped model guidance works clearly
  // for some groups (flags, people) and hardly for others (food, animals: few training pictures,
  // blobs either way; assets/models/README.md), so the test asserts Flags alone and the mean over all groups.
  const DiffusionClasses& cl = m->classes();
  std::map<std::string, size_t> classOfGroup;
  for (size_t c = 0; c < cl.names.size(); ++c) {
    if (!(cl.shares[c] > 0)) continue;
    const std::string& group = cl.parents.empty() ? cl.names[c] : cl.parents.at(c);
    const auto at = classOfGroup.find(group);
    if (at == classOfGroup.end() || cl.shares[at->second] < cl.shares[c]) classOfGroup[group] = c;
  }
  double guidedSum = 0, beforeSum = 0;
  int groups = 0;
  for (const auto& [group, c] : classOfGroup) {
    const std::vector<std::string> wanted(seeds.size(), group);
    const double guided = groupAgreement(classifier, pictures({int(c), m->classes().defaultGuidance}), wanted);
    const double before = groupAgreement(classifier, unguided, wanted);
    std::printf("%s (class %s): %.2f of the guided samples, %.2f of the unguided ones\n", group.c_str(), cl.names[c].c_str(), guided,
                before);
    if (group == "Flags") {
      EXPECT_GE(guided, 0.75) << group;
      EXPECT_GE(guided, before + 0.25) << group;
    }
    guidedSum += guided, beforeSum += before, ++groups;
  }
  ASSERT_GT(groups, 5);
  std::printf("mean over %d groups: %.2f guided, %.2f unguided\n", groups, guidedSum / groups, beforeSum / groups);
  EXPECT_GE(guidedSum / groups, beforeSum / groups + 0.2);
}

}  // namespace
}  // namespace fieldscope
