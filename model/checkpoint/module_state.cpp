#include "model/checkpoint/module_state.h"

#include <stdexcept>

namespace fieldscope {

void storeModule(Checkpoint& ckpt, const std::string& prefix, const torch::nn::Module& module) {
  // Files hold CPU tensors, whatever device the module trains on.
  for (const auto& p : module.named_parameters(true)) ckpt.tensors[prefix + p.key()] = p.value().detach().cpu().clone();
  for (const auto& b : module.named_buffers(true)) ckpt.tensors[prefix + b.key()] = b.value().detach().cpu().clone();
}

void restoreModule(const Checkpoint& ckpt, const std::string& prefix, torch::nn::Module& module) {
  torch::NoGradGuard guard;
  auto copyInto = [&](const std::string& name, torch::Tensor& dst) {
    const torch::Tensor& src = ckpt.at(prefix + name);
    if (src.sizes() != dst.sizes() || src.scalar_type() != dst.scalar_type()) {
      std::ostringstream msg;
      msg << "checkpoint '" << ckpt.file.string() << "': tensor '" << prefix << name << "' has shape " << src.sizes()
          << " " << src.scalar_type() << ", the model expects " << dst.sizes() << " " << dst.scalar_type()
          << " (config and tensors disagree)";
      throw std::runtime_error(msg.str());
    }
    dst.copy_(src);
  };
  for (auto& p : module.named_parameters(true)) copyInto(p.key(), p.value());
  for (auto& b : module.named_buffers(true)) copyInto(b.key(), b.value());
}

}  // namespace fieldscope
