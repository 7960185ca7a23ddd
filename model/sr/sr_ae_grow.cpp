#include "model/sr/sr_ae_grow.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

namespace fieldscope {
namespace {

// Same config apart from the decoder's depth.
void checkGrowable(const SrAeConfig& to, const SrAeConfig& from) {
  SrAeConfig same = from;
  same.decoderBlocks = to.decoderBlocks;
  same.preset = to.preset;
  if (same.toJson() != to.toJson())
    throw std::runtime_error("the model to start from has other sizes than the one being trained (" + from.toJson().dump() +
                             " vs " + to.toJson().dump() + "); only the decoder's depth may grow");
  if (from.decoderBlocks < 1)
    throw std::runtime_error("the model to start from has no decoder blocks a level: an added block would have no trained block before it");
  if (to.decoderBlocks < from.decoderBlocks)
    throw std::runtime_error("the model to start from has " + std::to_string(from.decoderBlocks) +
                             " decoder blocks a level; the one being trained has fewer (" + std::to_string(to.decoderBlocks) + ")");
}

// Where block b of decoder level `level` sits in the decoder body (index 0 is the middle block).
std::string decoderBlockPrefix(int level, int b, int blocksPerLevel) {
  return "decoder.body." + std::to_string(1 + level * blocksPerLevel + b) + ".";
}

}  // namespace

void growSrAutoencoder(SrAutoencoder& to, const SrAutoencoder& from) {
  const SrAeConfig& tc = to->config();
  const SrAeConfig& fc = from->config();
  checkGrowable(tc, fc);
  const int levels = int(tc.channels.size());
  // The name each of `from`'s tensors has in `to`.
  auto renamed = [&](const std::string& name) {
    for (int level = 0; level < levels; ++level)
      for (int b = 0; b < fc.decoderBlocks; ++b) {
        const std::string prefix = decoderBlockPrefix(level, b, fc.decoderBlocks);
        if (name.rfind(prefix, 0) == 0) return decoderBlockPrefix(level, b, tc.decoderBlocks) + name.substr(prefix.size());
      }
    return name;
  };
  torch::NoGradGuard noGrad;
  auto dst = to->named_parameters();
  auto dstBuffers = to->named_buffers();
  auto copyAll = [&](const torch::OrderedDict<std::string, torch::Tensor>& src, torch::OrderedDict<std::string, torch::Tensor>& into) {
    for (const auto& p : src) {
      const std::string name = renamed(p.key());
      torch::Tensor* t = into.find(name);
      if (!t || !t->sizes().equals(p.value().sizes()))
        throw std::runtime_error("cannot start from that model: its tensor '" + p.key() + "' has no place in the deeper model");
      t->copy_(p.value());
    }
  };
  copyAll(from->named_parameters(), dst);
  copyAll(from->named_buffers(), dstBuffers);
  // The added blocks: the last convolution at zero, so each adds nothing to its input.
  for (int level = 0; level < levels; ++level)
    for (int b = fc.decoderBlocks; b < tc.decoderBlocks; ++b) {
      const std::string prefix = decoderBlockPrefix(level, b, tc.decoderBlocks) + "conv2.";
      for (auto& p : dst)
        if (p.key().rfind(prefix, 0) == 0) p.value().zero_();
    }
}

}  // namespace fieldscope
