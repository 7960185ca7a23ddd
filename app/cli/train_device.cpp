#include "app/cli/train_device.h"

#include <CLI/CLI.hpp>
#include <torch/cuda.h>

#include "model/util/compute_options.h"

namespace fieldscope {

void addTrainingDeviceOption(CLI::App* cmd, std::string& device) {
  cmd->add_option("--device", device,
                  "cpu, cuda or cuda:N: where the model trains (fp32; in a job, local rank k takes GPU k mod the GPU count)")
      ->default_val("cpu");
}

torch::Device trainingDevice(const std::string& device, const DistributedOptions& dist) {
  const torch::Device d = parseComputeOptions(device, "fp32").device;
  if (!d.is_cuda() || device != "cuda" || !dist.distributed()) return d;
  const int gpus = static_cast<int>(torch::cuda::device_count());
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(dist.localRank % std::max(1, gpus)));
}

}  // namespace fieldscope
