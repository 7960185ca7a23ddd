#pragma once
// Fieldscope checkpoint files (docs/architecture.md "Checkpoints"): one file per model.
//
// Layout (little endian):
//   8 bytes   magic "FSCKPT\r\n"
//   u32       format version (kCheckpointFormatVersion)
//   u64       JSON length, then the JSON config text (domain, kind, preset, sizes, data, metrics)
//   u32       tensor count, then per tensor:
//               u32 name length, name bytes, u8 dtype code, u32 ndim, i64 dims[ndim], u64 byte count, bytes
//   u64       FNV-1a 64 checksum of every byte before it
// Loading checks magic, version, lengths, the checksum and (optionally) the domain, and throws
// std::runtime_error naming the file and what is wrong.
#include <torch/types.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "model/checkpoint/checkpoint_format.h"

namespace fieldscope {


struct Checkpoint {
  nlohmann::json config;
  std::map<std::string, torch::Tensor> tensors;  // ordered by name: the file is deterministic

  // Returns the tensor or throws naming `file` and the missing tensor.
  const torch::Tensor& at(const std::string& name) const;
  std::filesystem::path file;  // set by loadCheckpoint, for messages
};

// Writes atomically (temp file + rename). Tensors are written contiguous, on the CPU, in their dtype.
void saveCheckpoint(const std::filesystem::path& path, const Checkpoint& ckpt);

// Reads and validates. If `expectDomain` is not empty, config["domain"] must equal it.
Checkpoint loadCheckpoint(const std::filesystem::path& path, const std::string& expectDomain = "");

}  // namespace fieldscope
