#pragma once
// Reduced-precision inference for a network built from model/nn blocks: weights in fp16 except the
// GroupNorm parameters (normIn() then takes the statistics in fp32, where fp16 sums could lose
// precision or overflow) and parameters named in `keepFp32` (e.g. a gate applied in fp32 outside
// the fp16 part). Inference only.
#include <torch/nn/module.h>

#include <set>
#include <string>

namespace fieldscope {

// Converts every floating-point parameter and buffer to `dtype`, except GroupNorms' and those in
// `keep` (dotted names as named_parameters() gives them).
void convertWeightsKeepingNorms(torch::nn::Module& module, torch::ScalarType dtype, const std::set<std::string>& keep = {});

inline void convertToHalfKeepingNorms(torch::nn::Module& module, const std::set<std::string>& keepFp32 = {}) {
  convertWeightsKeepingNorms(module, torch::kHalf, keepFp32);
}

}  // namespace fieldscope
