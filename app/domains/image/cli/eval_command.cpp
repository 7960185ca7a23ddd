// fieldscope eval image --model M --data DIR [-o recon.png]: held-out reconstruction PSNR.
#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <cstdio>
#include <memory>

#include "app/cli/compute_flags.h"
#include "app/cli/command_registry.h"
#include "app/cli/long_run.h"
#include "app/domains/image/cli/image_commands.h"
#include "model/data/image_folder.h"
#include "model/image/image_eval.h"
#include "model/image/image_model.h"
#include "model/util/compute_options.h"

namespace fieldscope {

void registerImageEvalCommand(CommandRegistry& registry) {
  struct Opts {
    std::string model, data, out;
    int count = 32;
    ComputeFlags compute;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* ev = registry.verb("eval", "evaluate a model");
  CLI::App* im = ev->add_subcommand("image", "held-out reconstruction PSNR of an image model");
  im->add_option("--model", o->model, "model checkpoint")->required();
  im->add_option("--data", o->data, "image folder (its held-out 10% is used)")->required();
  im->add_option("-o,--out", o->out, "write originals (odd rows) over reconstructions (even rows) as PNG");
  im->add_option("--count", o->count, "images in the PNG")->default_val(32);
  addComputeFlags(*im, o->compute);
  im->callback([o] {
    setTorchThreads(0);
    // The reconstruction (encoder, decoder, readout at si = 1) runs in fp32 on any device.
    if (o->compute.precision == "fp16") throw std::runtime_error("eval image: --precision fp16 is not supported (the reconstruction runs in fp32)");
    const ComputeOptions compute = parseComputeOptions(o->compute.device, o->compute.precision == "auto" ? "fp32" : o->compute.precision);
    auto model = ImageModel::load(o->model, compute);
    ImageDataset ds = loadImageFolder(o->data, model->trainResolution());
    const bool held = ds.heldOut.images.size(0) > 0;
    const torch::Tensor& x = held ? ds.heldOut.images : ds.train.images;
    LongRun run("images", /*stoppable=*/false);
    auto rec = reconstructImages(model->vae(), x, 64, run.progress());
    run.finish(false, "");
    std::printf("%s reconstruction PSNR: %.2f dB over %lld images at %dx%d (%s)\n", held ? "held-out" : "training",
                psnr(rec, x), static_cast<long long>(x.size(0)), model->trainResolution(), model->trainResolution(),
                describe(compute).c_str());
    if (!o->out.empty()) {
      const int64_t n = std::min<int64_t>(o->count, x.size(0)), cols = 8;
      std::vector<torch::Tensor> rows;
      for (int64_t i = 0; i < n; i += cols) {
        const int64_t k = std::min(cols, n - i);
        rows.push_back(x.narrow(0, i, k));
        rows.push_back(rec.narrow(0, i, k));
      }
      writeImageGrid(o->out, torch::cat(rows), static_cast<int>(cols));
      std::printf("wrote %s\n", o->out.c_str());
    }
  });
}

}  // namespace fieldscope
