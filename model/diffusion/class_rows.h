#pragma once
// The class-embedding row of each sample, for both UNets' classifier-free guidance
// (docs/architecture.md "Models"): a model with N classes has N + 1 rows, the last one standing for
// "no class". Labels below zero (kNoClass) and an undefined label tensor pick that row.
#include <torch/torch.h>

#include <string>

namespace fieldscope {

// One row index (int64, on x's device) for each of x's samples. `who` names the network in the
// messages ("UNet", "ddmi UNet"). Throws std::invalid_argument when the labels are not one per
// sample or name a class past the last. Given labels are checked with one host read; the "no class"
// fill is not, so an unguided call stays free of host synchronisation (a CUDA graph can capture it).
torch::Tensor classEmbeddingRows(const torch::Tensor& labels, int64_t numClasses, const torch::Tensor& x,
                                 const std::string& who);

}  // namespace fieldscope
