#pragma once
// Starting a deeper UNet from a trained one (`train image-ldm --init-from FILE --unet-blocks N`;
// docs/architecture.md "Training"): the trained UNet's tensors keep their places and the added
// residual blocks (and their attention) start as the identity, so the deeper UNet predicts exactly
// what the trained one does and training goes on from there instead of from noise.
//
// Where the added blocks sit: in each encoder level after the trained blocks; in each decoder level
// right after its first block. An added encoder block repeats its level's last output, so every
// decoder block meets the skip tensor it was trained on; the added decoder blocks read the repeated
// skips and pass their input through (their 1x1 shortcut keeps the input's channels and drops the
// skip's; their last convolution and their attention's projection are zero).
#include <optional>
#include <string>

#include "model/diffusion/unet.h"

namespace fieldscope {

class UNetGrowth {
 public:
  // Throws std::runtime_error naming the difference when `to` cannot start from `from`: only the
  // residual blocks a level may grow (and the classes differ: the caller maps the class embedding).
  UNetGrowth(const UNetConfig& from, const UNetConfig& to);
  // The name in `from` of the tensor `key` of a UNet of config `to`; nullopt for an added block's.
  std::optional<std::string> sourceOf(const std::string& key) const;
  // The added blocks of `net` (a UNet of config `to`) made the identity; call after the copy.
  void startAddedBlocksAsIdentity(torch::nn::Module& net) const;

 private:
  UNetConfig from_, to_;
};

// Every tensor of `from` into `to` (configs as UNetGrowth wants, with the same classes), the added
// blocks as the identity.
void growUNet(UNet& to, const UNet& from);

}  // namespace fieldscope
