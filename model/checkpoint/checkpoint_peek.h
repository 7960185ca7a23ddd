#pragma once
// Reading only a checkpoint's header (magic, version, JSON config) -- cheap, torch-free: how
// the app and the CLI route a file to its domain before loading it (docs/architecture.md
// "Domains"). The full load (checkpoint.h) still checks everything else.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace fieldscope {

// True when `head` (a file's first bytes) starts with the checkpoint magic.
bool looksLikeCheckpoint(const std::string& head);
// What a file that is not a checkpoint seems to be, from its first bytes: "a PNG picture", "a
// PyTorch file (zip)", ... or "" when unknown. For messages ("'x' is a PNG picture, not a model").
std::string describeFileKind(const std::string& head);
// The message for a file that is not a Fieldscope model: names the file and, when it can, what it is.
std::string notAModelMessage(const std::filesystem::path& path, const std::string& head);
// The first `n` bytes of a file ("" when it cannot be read).
std::string fileHead(const std::filesystem::path& path, size_t n = 64);
// The config of a checkpoint. Throws std::runtime_error naming the file and what is wrong:
// missing, a folder, empty, not a checkpoint, another format version, truncated, bad JSON.
nlohmann::json peekCheckpointConfig(const std::filesystem::path& path);
// Its "domain" entry (a checkpoint without one is refused the same way).
std::string checkpointDomain(const std::filesystem::path& path);

}  // namespace fieldscope
