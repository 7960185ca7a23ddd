// The headless commands end to end on tiny models, and their bad-input paths: a clear error naming
// the file, no crash, no partial output.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <fstream>

#include "app/cli/command_registry.h"
#include "app/cli/model_commands.h"
#include "app/domains/image/cli/image_commands.h"
#include "model/checkpoint/checkpoint.h"
#include "model/checkpoint/module_state.h"
#include "model/diffusion/latent_diffusion.h"
#include "model/image/image_model.h"
#include "model/image/image_vae_io.h"
#include "model/train/image_vae_trainer.h"
#include "model/train/interrupt_guard.h"
#include "tests/model/cli_runner.h"
#include "tests/model/test_support.h"

namespace fieldscope {
namespace {

// The headless side of the app's domain list (app/domains.cpp).
const test::CliRunner imageCli(DomainList{{"image", registerImageCommands, nullptr}});

// A tiny untrained VAE + LDM checkpoint: enough to drive the commands.
std::filesystem::path tinyModel(const std::filesystem::path& dir) {
  torch::manual_seed(5);
  ImageVae vae(ImageVaeConfig::preset_("tiny"));
  UNet unet(UNetConfig::preset_("tiny", vae->config().latentChannels, vae->config().latentResolution()));
  Checkpoint c;
  c.config = {{"domain", "image"}, {"kind", "vae+ldm"}, {"preset", "tiny"}};
  storeVae(c, vae);
  storeLatentDiffusion(c, unet, 1.0);
  saveCheckpoint(dir / "tiny.fsm", c);
  return dir / "tiny.fsm";
}

TEST(Cli, SampleWritesPngAndSidecarDeterministically) {
  torch::set_num_threads(2);
  test::TempDir dir("cli");
  const auto model = tinyModel(dir.path).string();
  const auto a = (dir.path / "a.png").string(), b = (dir.path / "b.png").string();
  imageCli.run({"sample", "--model", model, "--seed", "3", "--steps", "4", "--size", "24x16", "-o", a});
  imageCli.run({"sample", "--model", model, "--seed", "3", "--steps", "4", "--size", "24x16", "-o", b});
  EXPECT_EQ(test::readAll(a), test::readAll(b));
  auto side = nlohmann::json::parse(test::readAll(a + ".json"));
  EXPECT_EQ(side["seed"], 3);
  EXPECT_EQ(side["steps"], 4);
  EXPECT_EQ(side["size"], nlohmann::json({24, 16}));
  EXPECT_EQ(side["region"], nlohmann::json({0.0, 0.0, 1.0, 1.0}));
  EXPECT_EQ(side["device"], "cpu, fp32");
  EXPECT_EQ(side["precision"], "fp32");
  imageCli.run({"sample", "--model", model, "--seed", "4", "--steps", "4", "--size", "24x16", "-o", b});
  EXPECT_NE(test::readAll(a), test::readAll(b));
  const auto g = (dir.path / "grid.png").string();
  imageCli.run({"sample", "--model", model, "--seed", "0", "--steps", "2", "--size", "8x8", "--grid", "3x2", "--region",
       "-0.5,0,0.5,1", "-o", g});
  EXPECT_TRUE(std::filesystem::exists(g));
  EXPECT_EQ(nlohmann::json::parse(test::readAll(g + ".json"))["grid"]["cols"], 3);
  imageCli.run({"info", model});
}

TEST(Cli, SampleBadInputs) {
  test::TempDir dir("cli");
  const auto model = tinyModel(dir.path).string();
  const auto out = (dir.path / "o.png").string();
  imageCli.expectFails({"sample", "--model", (dir.path / "none.fsm").string(), "-o", out}, "none.fsm");
  std::string bytes = test::readAll(model);
  std::ofstream(dir.path / "trunc.fsm", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  imageCli.expectFails({"sample", "--model", (dir.path / "trunc.fsm").string(), "-o", out}, "trunc.fsm");
  imageCli.expectFails({"sample", "--model", model, "--size", "12", "-o", out}, "--size");
  imageCli.expectFails({"sample", "--model", model, "--region", "0,0,0,1", "-o", out}, "--region");
  imageCli.expectFails({"sample", "--model", model, "-o", (dir.path / "missing_dir/o.png").string()}, "missing_dir");
  imageCli.expectFails({"info", (dir.path / "trunc.fsm").string()}, "trunc.fsm");
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(std::filesystem::exists(out + ".json"));
  // a VAE-only file cannot sample
  Checkpoint c = loadCheckpoint(model);
  c.config["kind"] = "vae";
  c.config.erase("ldm");
  saveCheckpoint(dir.path / "vae.fsm", c);
  imageCli.expectFails({"sample", "--model", (dir.path / "vae.fsm").string(), "-o", out}, "vae.fsm");
  EXPECT_FALSE(std::filesystem::exists(out));
}

// `average` (model/checkpoint/checkpoint_average.h) on two image models of one structure: the file
// it writes samples like any model, its weights are the mean, `info` names the sources; writing over
// one of the sources, a --weights list of the wrong length or more memory than there is is refused and
// leaves the files as they were.
TEST(Cli, AverageWritesAModelThatSamplesAndKeepsTheSources) {
  test::TempDir dir("cli");
  const auto a = tinyModel(dir.path);
  Checkpoint other = loadCheckpoint(a);
  torch::manual_seed(6);
  for (auto& [name, t] : other.tensors)
    if (name.rfind("ldm.", 0) == 0 && t.is_floating_point()) t = t + 0.01f * torch::randn_like(t);
  saveCheckpoint(dir.path / "b.fsm", other);
  const auto b = (dir.path / "b.fsm").string(), out = (dir.path / "avg.fsm").string();
  imageCli.run({"average", a.string(), b, "--weights", "1,1", "-o", out});
  const Checkpoint avg = loadCheckpoint(out, "image"), first = loadCheckpoint(a);
  for (const auto& [name, t] : avg.tensors)
    if (t.is_floating_point())
      EXPECT_TRUE(torch::allclose(t, (first.at(name) + other.at(name)) / 2, 1e-6, 1e-7)) << name;
  EXPECT_EQ(avg.config["averaged"]["sources"].size(), 2u);
  imageCli.run({"info", out});
  const auto png = (dir.path / "s.png").string();
  imageCli.run({"sample", "--model", out, "--seed", "1", "--steps", "2", "--size", "8x8", "-o", png});
  EXPECT_TRUE(std::filesystem::exists(png));
  const std::string bytesA = test::readAll(a);
  imageCli.expectFails({"average", a.string(), b, "-o", a.string()}, "one of the files");
  imageCli.expectFails({"average", a.string(), b, "--weights", "1,2,3", "-o", out + "2"}, "--weights");
  // Beyond the memory it plans for (the sums and one file: ~3x the largest file), it refuses with the numbers.
  setenv("FIELDSCOPE_MEMORY_LIMIT", "1000", 1);  // 1 kB
  imageCli.expectFails({"average", a.string(), b, "-o", out + "2"}, "averaging 2 model files needs about");
  unsetenv("FIELDSCOPE_MEMORY_LIMIT");
  EXPECT_EQ(test::readAll(a), bytesA);
  EXPECT_FALSE(std::filesystem::exists(out + "2"));
}

// `sample` dispatches on the model file's domain (docs/architecture.md "Commands"): a model of
// a domain no registered command samples, a folder, an empty file or a file without a domain
// are refused naming the file, and nothing is written.
TEST(Cli, SampleDispatchesOnTheModelsDomain) {
  test::TempDir dir("cli-domain");
  const auto out = (dir.path / "o.png").string();
  Checkpoint shape;
  shape.config = {{"domain", "shape"}, {"kind", "vae+ldm"}};
  saveCheckpoint(dir.path / "shape.fsm", shape);
  imageCli.expectFails({"sample", "--model", (dir.path / "shape.fsm").string(), "-o", out}, "domain 'shape'");
  imageCli.expectFails({"sample", "--model", (dir.path / "shape.fsm").string(), "-o", out}, "shape.fsm");
  Checkpoint nameless;
  nameless.config = {{"kind", "vae"}};
  saveCheckpoint(dir.path / "nameless.fsm", nameless);
  imageCli.expectFails({"sample", "--model", (dir.path / "nameless.fsm").string(), "-o", out}, "names no domain");
  std::filesystem::create_directories(dir.path / "folder.fsm");
  imageCli.expectFails({"sample", "--model", (dir.path / "folder.fsm").string(), "-o", out}, "is a folder");
  std::ofstream(dir.path / "empty.fsm").flush();
  imageCli.expectFails({"sample", "--model", (dir.path / "empty.fsm").string(), "-o", out}, "empty");
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(Cli, SampleOnCudaWithoutCudaFailsClearly) {
  if (torch::cuda::is_available()) GTEST_SKIP() << "CUDA is available here";
  test::TempDir dir("cli");
  const auto model = tinyModel(dir.path).string();
  const auto out = (dir.path / "o.png").string();
  imageCli.expectFails({"sample", "--model", model, "--device", "cuda", "-o", out}, "--device cuda:");
  imageCli.expectFails({"sample", "--model", model, "--device", "cpu", "--precision", "fp16", "-o", out}, "fp16");
  imageCli.expectFails({"sample", "--model", model, "--device", "tpu", "-o", out}, "--device 'tpu'");
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(std::filesystem::exists(out + ".json"));
}

TEST(Cli, TrainBadInputs) {
  test::TempDir dir("cli");
  std::filesystem::create_directories(dir.path / "empty");
  const auto out = (dir.path / "v.fsm").string();
  imageCli.expectFails({"train", "image-vae", "--data", (dir.path / "empty").string(), "--preset", "tiny", "-o", out}, "empty");
  EXPECT_FALSE(std::filesystem::exists(out));
  test::writeImages(dir.path / "data", test::syntheticFaces(2, 16));
  imageCli.expectFails({"train", "image-vae", "--data", (dir.path / "data").string(), "--preset", "tiny", "-o",
               (dir.path / "nodir/v.fsm").string()},
              "nodir");
  imageCli.expectFails({"train", "image-vae", "--data", (dir.path / "data").string(), "--preset", "tiny", "-o", out, "--resume"},
              "v.fsm.train");
  // the LDM trainer refuses a checkpoint of another domain
  Checkpoint c;
  c.config = {{"domain", "shape"}};
  saveCheckpoint(dir.path / "shape.fsm", c);
  imageCli.expectFails({"train", "image-ldm", "--vae", (dir.path / "shape.fsm").string(), "--data", (dir.path / "data").string(),
               "-o", out},
              "shape.fsm");
  imageCli.expectFails({"data", "emoji", "--font", (dir.path / "nofont.ttf").string(), "-o", (dir.path / "e").string()}, "nofont.ttf");
}

TEST(Training, ResumeIsBitExactAndCtrlCSaves) {
  torch::set_num_threads(2);
  test::TempDir dir("resume");
  test::writeImages(dir.path / "data", test::syntheticFaces(4, 16));
  ImageVaeTrainOptions o;
  o.dataDir = dir.path / "data";
  o.preset = "tiny";
  o.run.steps = 12;
  o.batch = 2;
  o.run.quiet = true;
  o.run.out = dir.path / "straight.fsm";
  trainImageVae(o);
  // interrupted at once (as by Ctrl-C), then resumed to the end
  o.run.out = dir.path / "resumed.fsm";
  InterruptGuard ctrlC(false);  // as the CLI would have it: a Ctrl-C before the loop starts
  std::raise(SIGINT);
  auto r = trainImageVae(o);
  EXPECT_TRUE(r.interrupted);
  EXPECT_TRUE(std::filesystem::exists(dir.path / "resumed.fsm.train"));
  o.run.resume = true;  // the Ctrl-C checkpoint (step 0) resumed to the end equals the uninterrupted run
  r = trainImageVae(o);
  EXPECT_FALSE(r.interrupted);
  EXPECT_EQ(r.stepsDone, 12);
  const Checkpoint a = loadCheckpoint(dir.path / "straight.fsm"), b = loadCheckpoint(dir.path / "resumed.fsm");
  for (const auto& [name, t] : a.tensors) EXPECT_TRUE(torch::equal(t, b.at(name))) << name;
  EXPECT_TRUE(std::filesystem::exists(dir.path / "resumed.fsm.loss.csv"));
}

TEST(Training, ResumeMidwayIsBitExact) {
  torch::set_num_threads(2);
  test::TempDir dir("resume2");
  test::writeImages(dir.path / "data", test::syntheticFaces(4, 16));
  ImageVaeTrainOptions o;
  o.dataDir = dir.path / "data";
  o.preset = "tiny";
  o.run.steps = 10;
  o.batch = 2;
  o.run.quiet = true;
  o.run.out = dir.path / "a.fsm";
  trainImageVae(o);
  o.run.out = dir.path / "b.fsm";
  o.run.stopAt = 6;
  EXPECT_TRUE(trainImageVae(o).interrupted);
  o.run.stopAt = -1;
  o.run.resume = true;
  EXPECT_EQ(trainImageVae(o).stepsDone, 10);
  const Checkpoint a = loadCheckpoint(dir.path / "a.fsm"), b = loadCheckpoint(dir.path / "b.fsm");
  for (const auto& [name, t] : a.tensors) EXPECT_TRUE(torch::equal(t, b.at(name))) << name;
  // the loss log holds each logged step once
  const std::string csv = test::readAll(dir.path / "b.fsm.loss.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 2);  // header + step 0
}

TEST(Training, LdmTrainsOnAVaeAndSamples) {
  torch::set_num_threads(2);
  test::TempDir dir("ldm");
  test::writeImages(dir.path / "data", test::syntheticFaces(4, 16));
  const auto data = (dir.path / "data").string(), vae = (dir.path / "vae.fsm").string(),
             model = (dir.path / "model.fsm").string();
  imageCli.run({"train", "image-vae", "--data", data, "--preset", "tiny", "-o", vae, "--steps", "3", "--batch", "2"});
  imageCli.run({"train", "image-ldm", "--vae", vae, "--data", data, "--preset", "tiny", "-o", model, "--steps", "3", "--batch",
       "4"});
  auto m = ImageModel::load(model);
  ASSERT_TRUE(m->canSample());
  EXPECT_EQ(m->card()["kind"], "vae+ldm");
  EXPECT_TRUE(m->card().contains("training_ldm"));
  // a longer LDM on the VAE of a finished model keeps that VAE's training record; a wider, deeper UNet
  // than the preset's is what the file then holds (and samples with)
  const auto again = (dir.path / "again.fsm").string();
  imageCli.run({"train", "image-ldm", "--vae", model, "--data", data, "--preset", "tiny", "-o", again, "--steps", "1", "--batch", "4",
                "--unet-channels", "24", "--unet-blocks", "2", "--ema-decay", "0.9999"});
  const auto vaeRecord = loadCheckpoint(model).config.at("training_vae");
  EXPECT_FALSE(vaeRecord.empty());
  const Checkpoint wider = loadCheckpoint(again);
  EXPECT_EQ(wider.config.at("training_vae"), vaeRecord);
  EXPECT_EQ(wider.config.at("ldm").at("unet").at("base_channels"), 24);
  EXPECT_EQ(wider.config.at("ldm").at("unet").at("num_res_blocks"), 2);
  EXPECT_DOUBLE_EQ(wider.config.at("training_ldm").at("ema").get<double>(), 0.9999);  // the card records the EMA's decay
  imageCli.expectFails({"train", "image-ldm", "--vae", model, "--data", data, "-o", again, "--ema-decay", "1"}, "--ema-decay");
  EXPECT_NE(loadCheckpoint(model).config.at("ldm").at("unet").at("base_channels"), 24);
  EXPECT_TRUE(ImageModel::load(again)->sampleLatent(1, 2).isfinite().all().item<bool>());
  auto a = m->sampleLatent(1, 3), b = m->sampleLatent(1, 3);
  EXPECT_TRUE(torch::equal(a, b));
  auto blend0 = m->sampleLatentBlend(1, 2, 0.f, 3, 0.f);
  EXPECT_LT((blend0 - a).abs().max().item<double>(), 1e-4);
  // a VAE file is not a diffusion training state, and an LDM file cannot be resumed as a VAE run
  imageCli.expectFails({"train", "image-ldm", "--vae", (dir.path / "none.fsm").string(), "--data", data, "-o", model}, "none.fsm");
}

// A faithful-architecture VAE (an imported one, or the paper preset's) gets the authors' UNet, their
// timesteps and unscaled latents from `train image-ldm` (docs/architecture.md "The faithful DDMI architecture").
TEST(Training, AFaithfulVaeTrainsTheAuthorsUNet) {
  torch::set_num_threads(2);
  test::TempDir dir("ldm-ddmi");
  test::writeImages(dir.path / "data", test::syntheticFaces(4, 16));
  const ImageVaeConfig c = ImageVaeConfig::preset_("ddmi-tiny");
  torch::manual_seed(2);
  Checkpoint v;
  v.config = {{"domain", "image"}, {"kind", "vae"}, {"preset", "ddmi"}};
  storeVae(v, ImageVae(c));
  const auto vae = (dir.path / "vae.fsm").string(), model = (dir.path / "model.fsm").string();
  saveCheckpoint(vae, v);
  imageCli.run({"train", "image-ldm", "--vae", vae, "--data", (dir.path / "data").string(), "--preset", "tiny", "-o", model,
                "--steps", "3", "--batch", "2"});
  const Checkpoint m = loadCheckpoint(model, "image");
  EXPECT_EQ(m.config.at("ldm").at("architecture"), "ddmi");
  EXPECT_EQ(m.config.at("ldm").at("schedule").at("spacing"), "ddmi");
  EXPECT_EQ(m.config.at("ldm").at("latent_scale"), 1.0);
  EXPECT_TRUE(m.tensors.count("ldm.mixing_logit"));
  EXPECT_TRUE(m.tensors.count("ldm.input_blocks.0.0.weight"));
  auto model2 = ImageModel::load(model);
  ASSERT_TRUE(model2->canSample());
  EXPECT_TRUE(torch::equal(model2->sampleLatent(5, 3), model2->sampleLatent(5, 3)));

  // The CPU switches (docs/training.md "The authors' architecture"): latents scaled to unit variance,
  // and the gate started on the network's side; both stored, and the file samples as usual.
  const auto switched = (dir.path / "switched.fsm").string();
  imageCli.run({"train", "image-ldm", "--vae", vae, "--data", (dir.path / "data").string(), "--preset", "tiny", "-o",
                switched, "--steps", "3", "--batch", "2", "--latent-scale", "unit", "--gate-start", "6"});
  const Checkpoint s = loadCheckpoint(switched, "image");
  const double scale = s.config.at("ldm").at("latent_scale").get<double>();
  EXPECT_TRUE(scale > 0 && std::abs(scale - 1.0) > 1e-3) << scale;  // 1 / the latents' std
  EXPECT_EQ(s.config.at("training_ldm").at("mixing_logit_start"), 6.0);
  const auto gate = s.at("ldm.mixing_logit");
  EXPECT_GT(gate.min().item<double>(), 5.9);  // three small steps from +6 (the authors' start: -6)
  EXPECT_LT(m.at("ldm.mixing_logit").max().item<double>(), -5.9);
  auto switchedModel = ImageModel::load(switched);
  EXPECT_TRUE(switchedModel->sampleLatent(5, 3).isfinite().all().item<bool>());
  imageCli.expectFails({"train", "image-ldm", "--vae", vae, "--data", (dir.path / "data").string(), "--preset", "tiny", "-o",
                        (dir.path / "y.fsm").string(), "--steps", "1", "--gate-start", "6", "--init-from", switched},
                       "--init-from");
  // this project's UNet has no such gate to start
  const auto own = (dir.path / "own.fsm").string();
  imageCli.run({"train", "image-vae", "--data", (dir.path / "data").string(), "--preset", "tiny", "-o", own, "--steps", "1", "--batch", "2"});
  imageCli.expectFails({"train", "image-ldm", "--vae", own, "--data", (dir.path / "data").string(), "--preset", "tiny", "-o",
                        (dir.path / "x.fsm").string(), "--steps", "1", "--gate-start", "6"},
                       "--gate-start");
}

// `--readout-layers`: ddmi-small's stored switch of one modulated conv per readout block (the authors: 3).
// The file records it, loads with it, and a resume with another count is refused.
TEST(Training, TheReadoutLayerSwitchIsStoredAndChecked) {
  torch::set_num_threads(2);
  test::TempDir dir("vae-layers");
  test::writeImages(dir.path / "data", test::syntheticFaces(4, 64));
  const auto data = (dir.path / "data").string(), vae = (dir.path / "vae.fsm").string();
  EXPECT_EQ(ImageVaeConfig::preset_("ddmi-small").layersPerBlock, 1);
  imageCli.run({"train", "image-vae", "--data", data, "--preset", "ddmi-small", "--readout-layers", "3", "-o", vae,
                "--steps", "2", "--stop-at", "1", "--batch", "2"});
  const Checkpoint c = loadCheckpoint(vae, "image");
  EXPECT_EQ(c.config.at("vae").at("layers_per_block"), 3);
  EXPECT_TRUE(c.tensors.count("vae.readout.net_res1.conv3.conv.weight"));
  imageCli.expectFails({"train", "image-vae", "--data", data, "--preset", "ddmi-small", "-o", vae, "--steps", "2", "--resume",
                        "--batch", "2"},
                       "--readout-layers");
  imageCli.expectFails({"train", "image-vae", "--data", data, "--preset", "ddmi-small", "--readout-layers", "4", "-o",
                        (dir.path / "x.fsm").string(), "--steps", "1"},
                       "--readout-layers");
  const ImageVae back = restoreVae(c);
  EXPECT_EQ(back->config().layersPerBlock, 3);
}

// The LDM through the shared loop: --stop-at then --resume (live weights, EMA and optimizer from
// <out>.train) gives the file an uninterrupted run gives.
TEST(Training, LdmStopAtAndResumeIsBitExact) {
  torch::set_num_threads(2);
  test::TempDir dir("ldm-resume");
  test::writeImages(dir.path / "data", test::syntheticFaces(4, 16));
  const auto data = (dir.path / "data").string(), vae = (dir.path / "vae.fsm").string();
  imageCli.run({"train", "image-vae", "--data", data, "--preset", "tiny", "-o", vae, "--steps", "2", "--batch", "2"});
  const auto a = (dir.path / "a.fsm").string(), b = (dir.path / "b.fsm").string();
  const std::vector<std::string> ldm{"train", "image-ldm", "--vae", vae, "--data", data, "--preset", "tiny", "--steps",
                                     "4", "--batch", "2", "--seed", "3"};
  auto with = [&](std::vector<std::string> extra) {
    auto args = ldm;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  imageCli.run(with({"-o", a}));
  imageCli.run(with({"-o", b, "--stop-at", "2"}));
  EXPECT_EQ(loadCheckpoint(b + ".train").config.at("step"), 2);
  imageCli.run(with({"-o", b, "--resume"}));
  EXPECT_EQ(loadCheckpoint(b + ".train").config.at("step"), 4);
  const Checkpoint ca = loadCheckpoint(a), cb = loadCheckpoint(b);
  ASSERT_EQ(ca.tensors.size(), cb.tensors.size());
  for (const auto& [name, t] : ca.tensors) EXPECT_TRUE(torch::equal(t, cb.at(name))) << name;
  const Checkpoint sa = loadCheckpoint(a + ".train"), sb = loadCheckpoint(b + ".train");
  for (const auto& [name, t] : sa.tensors)
    if (name.rfind("ema.", 0) == 0) EXPECT_TRUE(torch::equal(t, sb.at(name))) << name;
}

}  // namespace
}  // namespace fieldscope
