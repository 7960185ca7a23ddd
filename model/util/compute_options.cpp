#include "model/util/compute_options.h"

#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/cuda.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace fieldscope {

namespace {

bool libtorchHasCuda() { return at::detail::getCUDAHooks().hasCUDART(); }

int parseIndex(const std::string& device) {
  const std::string digits = device.substr(5);
  if (digits.empty() || digits.size() > 3)
    throw std::runtime_error("--device '" + device + "': expected cpu, cuda or cuda:N (N a device index)");
  for (char c : digits)
    if (!std::isdigit(static_cast<unsigned char>(c)))
      throw std::runtime_error("--device '" + device + "': expected cpu, cuda or cuda:N (N a device index)");
  return std::stoi(digits);
}

}  // namespace

ComputeOptions parseComputeOptions(const std::string& device, const std::string& precision) {
  if (precision != "auto" && precision != "fp32" && precision != "fp16")
    throw std::runtime_error("--precision '" + precision + "': expected auto, fp32 or fp16");
  ComputeOptions o;
  if (device == "cpu") {
    if (precision == "fp16")
      throw std::runtime_error("--precision fp16 needs --device cuda: the CPU path runs in fp32 only");
    return o;
  }
  if (device.rfind("cuda", 0) != 0 || (device.size() > 4 && device[4] != ':'))
    throw std::runtime_error("--device '" + device + "': expected cpu, cuda or cuda:N");
  const int index = device.size() > 4 ? parseIndex(device) : 0;
  if (!libtorchHasCuda()) throw std::runtime_error("--device " + device + ": this LibTorch was built without CUDA");
  const int count = static_cast<int>(torch::cuda::device_count());
  if (count == 0 || !torch::cuda::is_available())
    throw std::runtime_error("--device " + device + ": no CUDA device (the driver reports none)");
  if (index >= count)
    throw std::runtime_error("--device " + device + ": no CUDA device " + std::to_string(index) + " (" +
                             std::to_string(count) + " present: cuda:0" +
                             (count > 1 ? " .. cuda:" + std::to_string(count - 1) : std::string()) + ")");
  o.device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
  o.half = precision != "fp32";
  return o;
}

std::string cudaDeviceName(int index) {
  // No generic torch API gives the name; the driver's /proc entries do. With several GPUs their
  // order need not be CUDA's, so only a single visible GPU is named.
  if (std::getenv("CUDA_VISIBLE_DEVICES") || torch::cuda::device_count() != 1 || index != 0) return "";
  std::error_code ec;
  const std::filesystem::path root = "/proc/driver/nvidia/gpus";
  std::string name;
  int gpus = 0;
  for (const auto& e : std::filesystem::directory_iterator(root, ec)) {
    ++gpus;
    std::ifstream in(e.path() / "information");
    for (std::string line; std::getline(in, line);)
      if (line.rfind("Model:", 0) == 0) {
        name = line.substr(6);
        name.erase(0, name.find_first_not_of(" \t"));
      }
  }
  return gpus == 1 ? name : "";
}

std::string describe(const ComputeOptions& o) {
  std::string s = o.device.str();
  if (o.device.is_cuda()) {
    if (s == "cuda") s = "cuda:0";
    const std::string name = cudaDeviceName(o.device.has_index() ? o.device.index() : 0);
    if (!name.empty()) s += " (" + name + ")";
  }
  return s + (o.half ? ", fp16" : ", fp32");
}

}  // namespace fieldscope
