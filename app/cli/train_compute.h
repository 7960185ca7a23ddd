#pragma once
// The compute flags of the train commands and the start that every train command's callback shares
// (docs/training.md "On GPUs", docs/architecture.md "Commands"): --threads on every train command,
// --device only on the trainers that run on a GPU (image-vae, image-ldm, sr-ae, sr-ldm).
#include <string>

#include "model/train/training_loop.h"

namespace CLI { class App; }

namespace fieldscope {

struct TrainingCompute {
  int threads = 0;             // torch threads; 0: every usable core
  std::string device = "cpu";  // cpu, cuda or cuda:N (only with --device)
};

// --threads, and --device when `gpuTrainer`.
void addTrainingComputeOptions(CLI::App* cmd, TrainingCompute& compute, bool gpuTrainer);

// The first thing every train command's callback does: sets torch's threads, records the command line
// in run.commandLine, then launchedTrainingJob(run) (train_flags.h). Returns true when this process
// launched the job's workers and the command is done; otherwise settles run.device for this process
// (trainingDevice) and returns false: this process trains.
bool startTrainingCommand(TrainingRunOptions& run, const TrainingCompute& compute);

// "cpu", "cuda" or "cuda:N" -> the device this process trains on. In a job, "cuda" without an
// index gives local rank k the GPU k mod the GPUs this machine has (one GPU per local rank when
// there are enough). Throws naming the flag: a malformed value, no CUDA in this build or machine.
torch::Device trainingDevice(const std::string& device, const DistributedOptions& dist);

}  // namespace fieldscope
