// `fieldscope import ddmi` against a checkpoint in the authors' layout (issue: DDMI as its authors
// built it). tests/import/write_ddmi_checkpoint.py (Debian's python3-torch, run once per ctest run
// as the `ddmi_checkpoint` fixture) writes random weights under the authors' key names at a tiny
// config, with storages on 'cuda:0' and argparse objects beside them, plus the decode of a fixed
// latent by an eager-PyTorch rendition of the authors' architecture.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "app/domains/image/cli/image_commands.h"
#include "model/checkpoint/checkpoint.h"
#include "model/diffusion/ddim.h"
#include "model/diffusion/latent_diffusion.h"
#include "model/image/ddmi_import.h"
#include "model/image/image_model.h"
#include "model/image/region_decoder.h"
#include "tests/model/cli_runner.h"
#include "tests/temp_root.h"

namespace fieldscope {
namespace {

const std::filesystem::path kDdmiFixture = FIELDSCOPE_DDMI_FIXTURE_DIR;

std::filesystem::path ddmiVariant(const std::string& v) { return kDdmiFixture / v; }

bool ddmiFixtureMissing() { return !std::filesystem::exists(ddmiVariant("ok") / "model-last.pt"); }

#define SKIP_WITHOUT_DDMI_FIXTURE()                                                                                 \
  if (ddmiFixtureMissing())                                                                                         \
  GTEST_SKIP() << "no DDMI checkpoint fixture in " << kDdmiFixture                                                   \
               << ": python3-torch is not installed (scripts/setup.sh installs it; the ddmi_checkpoint fixture "   \
                  "test writes it)"

torch::Tensor ddmiRaw(const std::filesystem::path& file, std::vector<int64_t> shape) {
  std::ifstream in(file, std::ios::binary);
  EXPECT_TRUE(in) << file;
  auto t = torch::empty(shape, torch::kFloat32);
  in.read(reinterpret_cast<char*>(t.data_ptr<float>()), std::streamsize(t.numel() * 4));
  EXPECT_EQ(in.gcount(), std::streamsize(t.numel() * 4)) << file;
  return t;
}

std::filesystem::path importedOk() {
  static const std::filesystem::path out = [] {
    auto p = test::processTempRoot("ddmi-import-test") / "imported.fsm";  // removed at exit
    saveCheckpoint(p, importDdmiImage({ddmiVariant("ok") / "model-last.pt", ddmiVariant("ok") / "config.yaml"}));
    return p;
  }();
  return out;
}

TEST(DdmiImport, DecodesAFixedLatentAsTheAuthorsArchitectureDoes) {
  SKIP_WITHOUT_DDMI_FIXTURE();
  auto model = ImageModel::load(importedOk());
  const auto info = nlohmann::json::parse(std::ifstream(ddmiVariant("ok") / "info.json"));
  const auto z = ddmiRaw(ddmiVariant("ok") / "latent.f32", {1, 4, 8, 8});
  ImageFields fields = model->makeFields(z);
  // the three basis fields, as their decoder makes them
  const auto expectedFields = ddmiRaw(ddmiVariant("ok") / "expected_fields.f32", {8 * 8 * 8 + 8 * 16 * 16 + 8 * 32 * 32});
  int64_t at = 0;
  for (int k = 0; k < 3; ++k) {
    const int64_t n = fields.levels[k].numel();
    const auto want = expectedFields.narrow(0, at, n).view_as(fields.levels[k]);
    at += n;
    EXPECT_LT((fields.levels[k] - want).abs().max().item<double>(), 1e-4) << "field " << k;
  }
  // the picture at the training size (si 1), above it and below it, through the viewer's readout
  for (const auto& r : info.at("renders")) {
    const int R = r.at("R").get<int>();
    const auto want = ddmiRaw(ddmiVariant("ok") / r.at("file").get<std::string>(), {3, R, R});
    auto rgba = torch::empty({R, R, 4}, torch::kUInt8);
    model->decodeRegion(fields, 0, 0, 1, 1, R, R, rgba);
    const auto got = rgba.narrow(2, 0, 3).permute({2, 0, 1}).to(torch::kFloat32) / 255.0;
    const auto wantUnit = (want.clamp(-1, 1) + 1) / 2;
    EXPECT_LE((got - wantUnit).abs().max().item<double>(), 1.0 / 255 + 1e-6) << "R = " << R << ", si " << r.at("si");
    // the differentiable path (training) agrees before the 8-bit rounding
    const auto f = model->vae()->renderRegion(fields, 0, 0, 1, 1, R, R)[0];
    EXPECT_LT((f - want).abs().max().item<double>(), 2e-4) << "R = " << R;
  }
}

TEST(DdmiImport, SamplesWithTheEmaUNetAtTheAuthorsTimestepsAsTheirDdimDoes) {
  SKIP_WITHOUT_DDMI_FIXTURE();
  const auto dir = ddmiVariant("ok");
  const auto file = std::filesystem::temp_directory_path() / ("ddmi-ldm-test-" + std::to_string(::getpid()) + ".fsm");
  // the stage-2 file alone: its frozen VAE copy and the diffusion model's EMA weights
  saveCheckpoint(file, importDdmiImage({{}, dir / "config_ldm.yaml", dir / "ldm-last.pt"}));
  const Checkpoint ckpt = loadCheckpoint(file, "image");
  EXPECT_EQ(ckpt.config.at("kind"), "vae+ldm");
  LatentDiffusion ld = restoreLatentDiffusion(ckpt, /*allowDdmi=*/true);
  ASSERT_TRUE(ld.canSample());
  EXPECT_THROW(restoreLatentDiffusion(ckpt), std::runtime_error);  // other domains refuse it
  torch::NoGradGuard g;
  const auto xT = ddmiRaw(dir / "xT.f32", {1, 4, 8, 8});
  const auto eps999 = ld.epsilon()(xT, torch::full({1}, 999, torch::kInt64),
                                   torch::full({1}, float(std::sqrt(1 - ld.schedule.abar(999)))));
  EXPECT_LT((eps999 - ddmiRaw(dir / "expected_ldm_eps_t999.f32", {1, 4, 8, 8})).abs().max().item<double>(), 1e-4);
  std::vector<torch::Generator> gens;
  const auto z0 = ddimSampleWith(ld.epsilon(), ld.schedule, xT, 5, 0.0, gens);
  const auto want = ddmiRaw(dir / "expected_ldm_z0.f32", {1, 4, 8, 8});
  EXPECT_LT((z0 - want).abs().max().item<double>(), 2e-3) << "z0 spans " << want.abs().max().item<double>();
  // the image model samples and decodes it (the viewer's path)
  auto model = ImageModel::load(file);
  ASSERT_TRUE(model->canSample());
  const auto latent = model->sampleLatent(7, 5);
  EXPECT_EQ(latent.sizes(), (std::vector<int64_t>{1, 4, 8, 8}));
  EXPECT_TRUE(torch::isfinite(latent).all().item<bool>());
  std::filesystem::remove(file);
}

// The Hugging Face release's layout (one flat state_dict: ldm.* = the EMA DDPM, vae.*, mlp.*) gives
// the same model as the authors' training files.
TEST(DdmiImport, TheHuggingFaceLayoutImportsToTheSameModel) {
  SKIP_WITHOUT_DDMI_FIXTURE();
  const auto dir = ddmiVariant("ok");
  const Checkpoint hub = importDdmiImage({{}, dir / "config_ldm.yaml", dir / "pytorch_model.bin"});
  const Checkpoint stage = importDdmiImage({{}, dir / "config_ldm.yaml", dir / "ldm-last.pt"});
  EXPECT_EQ(hub.config.at("kind"), "vae+ldm");
  ASSERT_EQ(hub.tensors.size(), stage.tensors.size());
  for (const auto& [name, t] : stage.tensors) {
    ASSERT_TRUE(hub.tensors.count(name)) << name;
    EXPECT_TRUE(torch::equal(hub.tensors.at(name), t)) << name;
  }
  const auto& source = hub.config.at("imported").at("sources")[0];
  EXPECT_NE(source.value("layout", "").find("Hugging Face"), std::string::npos);
  EXPECT_FALSE(source.contains("entries_not_read")) << "its top level holds tensors, not entries";
}

TEST(DdmiImport, RefusesAMissingAnExtraOrAMisshapedKeyNamingIt) {
  SKIP_WITHOUT_DDMI_FIXTURE();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"missing", "lacks key 'decoder.conv_out.bias'"},
      {"extra", "key 'decoder.up.0.block.9.conv1.weight' has no place"},
      {"misshaped", "key 'net_res2.conv1.conv.weight' has shape 1x32x43x1x1; the architecture of"}};
  for (const auto& [variant, message] : cases) {
    const auto file = ddmiVariant(variant) / "model-last.pt";
    try {
      importDdmiImage({file, ddmiVariant(variant) / "config.yaml"});
      ADD_FAILURE() << variant << " was imported";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    }
  }
}

TEST(DdmiImport, TheCommandWritesAModelWhoseCardNamesItsSourcesAndArchitecture) {
  SKIP_WITHOUT_DDMI_FIXTURE();
  const test::CliRunner cli(DomainList{{"image", registerImageCommands, nullptr}});
  const auto out = std::filesystem::temp_directory_path() / ("ddmi-cli-" + std::to_string(::getpid()) + ".fsm");
  cli.run({"import", "ddmi", "--vae", (ddmiVariant("ok") / "model-last.pt").string(), "--config",
           (ddmiVariant("ok") / "config.yaml").string(), "-o", out.string()});
  const Checkpoint c = loadCheckpoint(out, "image");
  EXPECT_EQ(c.config.at("vae").at("architecture"), "ddmi");
  EXPECT_EQ(c.config.at("vae").at("clamp_scale"), false);
  const auto& sources = c.config.at("imported").at("sources");
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[0].at("sha256").get<std::string>().size(), 64u);
  EXPECT_NE(c.config.at("imported").at("config_text").get<std::string>().find("hdbf_resolutions"), std::string::npos);
  // what was not needed was not read, and is said so
  const auto notRead = sources[0].at("entries_not_read");
  EXPECT_NE(std::find(notRead.begin(), notRead.end(), "opt"), notRead.end());
  EXPECT_NE(std::find(notRead.begin(), notRead.end(), "args"), notRead.end());
  // a broken output path is refused with its name, nothing half-written
  cli.expectFails({"import", "ddmi", "--vae", (ddmiVariant("ok") / "model-last.pt").string(), "--config",
                   (ddmiVariant("ok") / "config.yaml").string(), "-o", "/nonexistent-dir/x.fsm"},
                  "/nonexistent-dir/x.fsm");
  std::filesystem::remove(out);
}

TEST(DdmiImport, AConfigOfAnotherKindIsRefusedNamingTheKey) {
  SKIP_WITHOUT_DDMI_FIXTURE();
  const auto bad = std::filesystem::temp_directory_path() / ("ddmi-bad-" + std::to_string(::getpid()) + ".yaml");
  std::ifstream in(ddmiVariant("ok") / "config.yaml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  text.replace(text.find("attn_resolutions: []"), 20, "attn_resolutions: [16]");
  std::ofstream(bad) << text;
  try {
    importDdmiImage({ddmiVariant("ok") / "model-last.pt", bad});
    ADD_FAILURE() << "imported";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("attn_resolutions"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(bad.string()), std::string::npos) << e.what();
  }
  std::filesystem::remove(bad);
}

}  // namespace
}  // namespace fieldscope
