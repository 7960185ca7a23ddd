#pragma once
// The generated set the sample-quality metric scores for an image model (model/eval/
// sample_quality.h): the pictures of seeds first .. first+count-1, each rendered whole at the
// model's training resolution (as its data set's pictures are), in [-1, 1].
#include <torch/types.h>

#include <cstdint>
#include <functional>

#include "model/diffusion/class_guidance.h"
#include "model/util/work_progress.h"

namespace fieldscope {

class ImageModel;

struct SamplePicturesOptions {
  uint64_t firstSeed = 0;
  int64_t count = 2000;
  int steps = 50;        // DDIM steps
  float eta = 0;         // DDIM eta: 0 the deterministic path, 1 DDPM-like
  int64_t batch = 32;    // seeds per sampler run
  ClassGuidance guidance;  // a class-conditional model's (inactive: unconditional)
  WorkProgress progress;                // pictures done
  std::function<bool()> cancelled;      // polled between batches; a cancel returns what is done
};

// N x 3 x R x R (N = count unless cancelled). Throws when the model cannot sample.
torch::Tensor sampleImagePictures(ImageModel& model, const SamplePicturesOptions& o);
// The model's VAE reconstructions (posterior mean) of `images`, rendered the same way.
torch::Tensor reconstructImagePictures(ImageModel& model, const torch::Tensor& images, const WorkProgress& progress = {});

}  // namespace fieldscope
