#pragma once
// --device for the train commands whose trainers run on a GPU (image-vae, image-ldm, sr-ae, sr-ldm; docs/training.md
// "On GPUs"). The other trainers run on the CPU and have no such flag.
#include <string>

#include "model/train/training_loop.h"

namespace CLI { class App; }

namespace fieldscope {

void addTrainingDeviceOption(CLI::App* cmd, std::string& device);
// "cpu", "cuda" or "cuda:N" -> the device this process trains on. In a job, "cuda" without an
// index gives local rank k the GPU k mod the GPUs this machine has (one GPU per local rank when
// there are enough). Throws naming the flag: a malformed value, no CUDA in this build or machine.
torch::Device trainingDevice(const std::string& device, const DistributedOptions& dist);

}  // namespace fieldscope
