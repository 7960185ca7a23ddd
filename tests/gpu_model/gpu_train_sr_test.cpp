// Super-resolution and training on CUDA (issues 11 and 18): `upscale --device cuda` gives the CPU's
// picture, and `train image-vae | image-ldm --device cuda` trains as the CPU does (fp32, TF32 off,
// up to float rounding), its state resumes on the CPU. Every test skips where there is no CUDA
// device (docs/gpu.md "Super-resolution and training on CUDA").
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <unistd.h>

#include "model/checkpoint/checkpoint.h"
#include "model/photo_data/photo_pixels.h"
#include "model/sr/sr_ae_io.h"
#include "model/sr/sr_diffusion.h"
#include "model/sr/upscale_job.h"
#include "model/train/image_ldm_trainer.h"
#include "model/train/image_vae_trainer.h"
#include "tests/gpu_model/cuda_test_support.h"
#include "tests/model/test_support.h"

namespace fieldscope {
namespace gpu_train_sr_test {  // named: the unity build joins this file with gpu_model_test.cpp
namespace fs = std::filesystem;

using cuda_test::Tf32Off;

const torch::Device kCuda(torch::kCUDA, 0);

fs::path scratch(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("fieldscope-gpu-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// A smooth 8-bit picture with an edge, 37 x 29.
PhotoPixels testPicture() {
  PhotoPixels p;
  p.width = 37, p.height = 29, p.channels = 3;
  for (int y = 0; y < p.height; ++y)
    for (int x = 0; x < p.width; ++x)
      for (int c = 0; c < 3; ++c)
        p.samples.push_back(std::uint16_t((x * 7 + y * (3 + c) + (x > 18 ? 90 : 0)) % 256));
  return p;
}

torch::Tensor pngPixels(const fs::path& f) {
  const PhotoPixels p = readPhotoPixels(f);
  std::vector<int32_t> v(p.samples.begin(), p.samples.end());
  return torch::tensor(v, torch::kInt32);
}

TEST(SrOnCuda, UpscaleOfTheShippedModelEqualsTheCpuPicture) {
  REQUIRE_CUDA();
  Tf32Off tf32;
  const Checkpoint ckpt = loadCheckpoint(fs::path(FIELDSCOPE_SOURCE_DIR) / "assets/models/photo-sr-ldm.fsm", "sr");
  const fs::path dir = scratch("sr");
  const PhotoPixels in = testPicture();
  for (const bool diffusion : {false, true}) {
    std::vector<torch::Tensor> pictures;
    for (const torch::Device dev : {torch::Device(torch::kCPU), kCuda}) {
      SrAutoencoder ae = restoreSrAutoencoder(ckpt);
      ae->to(dev);
      SrDiffusion d;
      UpscaleDiffusion ud;
      if (diffusion) {
        d = restoreSrDiffusion(ckpt);
        d.ldm.unet->to(dev);
        ud.model = &d;
        ud.sampling.steps = 4;
        ud.seed = 3;
      }
      UpscaleRequest r;
      r.scale = 3.7;
      r.tiles = upscaleTiles(ae->config(), 64);  // several tiles and bands
      r.diffusion = diffusion;
      const UpscalePlan plan = planUpscale(ae->config(), in.width, in.height, in.channels, in.bitDepth, r);
      const fs::path out = dir / (std::string(diffusion ? "ldm-" : "dec-") + (dev.is_cuda() ? "cuda" : "cpu") + ".png");
      ASSERT_TRUE(upscaleToPng(ae, in, plan, r.tiles, out, {}, ud));
      pictures.push_back(pngPixels(out));
    }
    ASSERT_EQ(pictures[0].numel(), 137 * 107 * 3);
    ASSERT_EQ(pictures[1].numel(), pictures[0].numel());
    const auto diff = (pictures[0] - pictures[1]).abs();
    EXPECT_LE(diff.max().item<int>(), 1) << (diffusion ? "diffusion" : "decoder only") << ": CPU vs CUDA, 8-bit levels";
    EXPECT_LT(diff.gt(0).to(torch::kFloat).mean().item<double>(), 0.01) << "at most 1% of the samples one level apart";
  }
  fs::remove_all(dir);
}

// Largest absolute difference over the tensors two model files share with a prefix.
double largestDifference(const fs::path& a, const fs::path& b, const std::string& prefix) {
  const Checkpoint ca = loadCheckpoint(a), cb = loadCheckpoint(b);
  double worst = 0;
  int compared = 0;
  for (const auto& [k, t] : ca.tensors)
    if (k.rfind(prefix, 0) == 0 && t.is_floating_point()) {
      worst = std::max(worst, (t - cb.at(k)).abs().max().item<double>());
      ++compared;
    }
  EXPECT_GT(compared, 0) << "no tensors '" << prefix << "*' in " << a;
  return worst;
}

TEST(TrainOnCuda, ImageVaeAndLdmTrainAsOnTheCpuAndResumeThere) {
  REQUIRE_CUDA();
  Tf32Off tf32;
  const fs::path dir = scratch("train");
  test::writeImages(dir / "data", test::syntheticFaces(8, 16));
  const auto vaeRun = [&](const torch::Device& dev, const std::string& name, int64_t steps, bool resume) {
    ImageVaeTrainOptions o;
    o.dataDir = dir / "data";
    o.preset = "tiny";
    o.batch = 4;
    o.run.out = dir / name;
    o.run.steps = steps;
    o.run.seed = 2;
    o.run.quiet = true;
    o.run.resume = resume;
    o.run.checkpointEvery = 1000;
    o.run.device = dev;
    return trainImageVae(o);
  };
  vaeRun(torch::kCPU, "vae-cpu.fsm", 6, false);
  vaeRun(kCuda, "vae-cuda.fsm", 6, false);
  const double vaeDiff = largestDifference(dir / "vae-cpu.fsm", dir / "vae-cuda.fsm", "vae.");
  EXPECT_LT(vaeDiff, 1e-3) << "6 VAE steps, CPU vs CUDA";
  // The CUDA run's state (optimizer included) continues on the CPU.
  const auto resumed = vaeRun(torch::kCPU, "vae-cuda.fsm", 8, true);
  EXPECT_EQ(resumed.stepsDone, 8) << "resumed at step 6";
  EXPECT_FALSE(resumed.interrupted);

  const auto ldmRun = [&](const torch::Device& dev, const std::string& name) {
    ImageLdmTrainOptions o;
    o.vaePath = dir / "vae-cpu.fsm";
    o.dataDir = dir / "data";
    o.preset = "tiny";
    o.batch = 4;
    o.run.out = dir / name;
    o.run.steps = 6;
    o.run.seed = 4;
    o.run.quiet = true;
    o.run.checkpointEvery = 1000;
    o.run.device = dev;
    return trainImageLdm(o);
  };
  ldmRun(torch::kCPU, "ldm-cpu.fsm");
  ldmRun(kCuda, "ldm-cuda.fsm");
  EXPECT_LT(largestDifference(dir / "ldm-cpu.fsm", dir / "ldm-cuda.fsm", "ldm."), 1e-3) << "6 LDM steps, CPU vs CUDA";
  fs::remove_all(dir);
}

}  // namespace gpu_train_sr_test
}  // namespace fieldscope
