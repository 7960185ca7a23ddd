#pragma once
// Moving a torch::nn::Module's parameters and buffers in and out of a Checkpoint.
#include <torch/nn/module.h>

#include <string>

#include "model/checkpoint/checkpoint.h"

namespace fieldscope {

// Stores every parameter and buffer as prefix + its dotted name (a clone, detached).
void storeModule(Checkpoint& ckpt, const std::string& prefix, const torch::nn::Module& module);

// Loads every parameter and buffer of `module` from prefix + name. Throws std::runtime_error naming
// the checkpoint file and the tensor when one is missing or has a different shape or dtype.
void restoreModule(const Checkpoint& ckpt, const std::string& prefix, torch::nn::Module& module);

}  // namespace fieldscope
