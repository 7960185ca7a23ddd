#pragma once
// A fitted NeRF scene inside a checkpoint (docs/architecture.md "Checkpoints"): domain "nerf",
// kind "scene", config["nerf"] its sizes, tensors "planes" (3, C, R, R) and "mlp.<name>".
#include <filesystem>

#include "model/checkpoint/checkpoint.h"
#include "model/nerf/nerf_field.h"

namespace fieldscope {

void storeNerfField(Checkpoint& ckpt, const NerfField& field);
// Throws naming the checkpoint file when it holds no NeRF field or its tensors do not fit.
NerfField restoreNerfField(const Checkpoint& ckpt);
// loadCheckpoint(path, "nerf") + restoreNerfField.
NerfField loadNerfScene(const std::filesystem::path& path);

}  // namespace fieldscope
