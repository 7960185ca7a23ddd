#include "model/checkpoint/checkpoint_peek.h"

#include <cstring>
#include <fstream>
#include <stdexcept>

#include "model/checkpoint/checkpoint_format.h"

namespace fieldscope {

bool looksLikeCheckpoint(const std::string& head) {
  return head.size() >= 8 && std::memcmp(head.data(), kCheckpointMagic, 8) == 0;
}

std::string fileHead(const std::filesystem::path& path, size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::string head(n, '\0');
  if (!in) return "";
  in.read(head.data(), std::streamsize(n));
  head.resize(size_t(in.gcount()));
  return head;
}

nlohmann::json peekCheckpointConfig(const std::filesystem::path& path) {
  const std::string where = "'" + path.string() + "': ";
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw std::runtime_error(where + "is a folder, not a model file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + where + "no such file or no permission");
  char magic[8];
  if (!in.read(magic, 8)) {
    throw std::runtime_error(where + (in.gcount() == 0 ? "the file is empty" : "the file is too short to be a model"));
  }
  if (std::memcmp(magic, kCheckpointMagic, 8) != 0)
    throw std::runtime_error(where + "not a Fieldscope model file (bad magic)");
  uint32_t version = 0;
  uint64_t jsonLength = 0;
  if (!in.read(reinterpret_cast<char*>(&version), 4))
    throw std::runtime_error(where + "the file is truncated (header incomplete)");
  if (version != kCheckpointFormatVersion)
    throw std::runtime_error(where + "format version " + std::to_string(version) +
                             " is not supported (this build reads version " +
                             std::to_string(kCheckpointFormatVersion) + ")");
  if (!in.read(reinterpret_cast<char*>(&jsonLength), 8))
    throw std::runtime_error(where + "the file is truncated (header incomplete)");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || jsonLength > size) throw std::runtime_error(where + "the file is truncated (config incomplete)");
  std::string json(jsonLength, '\0');
  if (!in.read(json.data(), std::streamsize(jsonLength)))
    throw std::runtime_error(where + "the file is truncated (config incomplete)");
  try {
    return nlohmann::json::parse(json);
  } catch (const std::exception& e) {
    throw std::runtime_error(where + "its config JSON is invalid: " + e.what());
  }
}

std::string checkpointDomain(const std::filesystem::path& path) {
  const nlohmann::json config = peekCheckpointConfig(path);
  if (!config.is_object() || !config.contains("domain") || !config.at("domain").is_string())
    throw std::runtime_error("'" + path.string() + "': the model file names no domain");
  return config.at("domain").get<std::string>();
}

}  // namespace fieldscope
