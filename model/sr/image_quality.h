#pragma once
// Image quality numbers for super-resolution results (docs/architecture.md "The super-resolution
// domain"): PSNR over RGB and SSIM over luma (BT.601 Y, 11x11 Gaussian window, sigma 1.5, the
// usual constants), for images in [-1, 1], per image of a batch.
#include <torch/types.h>

namespace fieldscope {

// N x 3 x H x W pairs (clamped to [-1, 1] first) -> N PSNRs in dB (peak 1 on [0, 1]).
torch::Tensor psnrPerImage(const torch::Tensor& a, const torch::Tensor& b);
// N x 3 x H x W pairs (H, W >= 11) -> N SSIMs of the luma channel.
torch::Tensor ssimPerImage(const torch::Tensor& a, const torch::Tensor& b);

}  // namespace fieldscope
