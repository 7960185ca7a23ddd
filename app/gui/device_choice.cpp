#include "app/gui/device_choice.h"

#include <stdexcept>

#include "cuda_interop/cuda_support.h"
#include "cuda_interop/shared_tensor.h"

namespace fieldscope {

int cudaDeviceFromOption(const std::string& device) {
  if (device == "cpu") return -1;
  if (device == "cuda") return 0;
  if (device.rfind("cuda:", 0) == 0) {
    const std::string n = device.substr(5);
    if (!n.empty() && n.find_first_not_of("0123456789") == std::string::npos && n.size() < 4) return std::stoi(n);
  }
  throw std::runtime_error("--device " + device + ": expected cpu, cuda or cuda:N");
}

std::string interopVersionText() {
  std::string s = std::string("shared memory: ") + sharedBackendName(SharedBackend::Host) + " (--device cpu)";
  CudaDeviceInfo info;
  std::string why;
  if (queryCudaDevice(0, info, why))
    s += ", " + std::string(sharedBackendName(SharedBackend::Cuda)) + " (--device cuda: " + info.name + ")";
  else
    s += "; CUDA: not available (" + why + ")";
  return s;
}

}  // namespace fieldscope
