#include "app/cli/train_compute.h"

#include <CLI/CLI.hpp>
#include <torch/cuda.h>

#include "app/cli/compute_flags.h"
#include "app/cli/model_subcommands.h"
#include "app/cli/train_flags.h"
#include "model/util/compute_options.h"

namespace fieldscope {

void addTrainingComputeOptions(CLI::App* cmd, TrainingCompute& compute, bool gpuTrainer) {
  cmd->add_option("--threads", compute.threads, "torch threads (default: all cores)");
  if (!gpuTrainer) return;
  cmd->add_option("--device", compute.device,
                  "cpu, cuda or cuda:N: where the model trains (fp32; in a job, local rank k takes GPU k mod the GPU count)")
      ->default_val(compute.device);
}

bool startTrainingCommand(TrainingRunOptions& run, const TrainingCompute& compute) {
  setTorchThreads(compute.threads);
  run.commandLine = currentCommandLine();
  if (launchedTrainingJob(run)) return true;
  run.device = trainingDevice(compute.device, run.dist);
  return false;
}

torch::Device trainingDevice(const std::string& device, const DistributedOptions& dist) {
  const torch::Device d = parseComputeOptions(device, "fp32").device;
  if (!d.is_cuda() || device != "cuda" || !dist.distributed()) return d;
  const int gpus = static_cast<int>(torch::cuda::device_count());
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(dist.localRank % std::max(1, gpus)));
}

}  // namespace fieldscope
