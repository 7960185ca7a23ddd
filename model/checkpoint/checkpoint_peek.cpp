#include "model/checkpoint/checkpoint_peek.h"

#include <cstring>
#include <fstream>
#include <stdexcept>

#include "model/checkpoint/checkpoint_format.h"

namespace fieldscope {

bool looksLikeCheckpoint(const std::string& head) {
  return head.size() >= 8 && std::memcmp(head.data(), kCheckpointMagic, 8) == 0;
}

std::string describeFileKind(const std::string& head) {
  auto starts = [&](const char* magic, size_t at = 0) {
    const size_t n = std::strlen(magic);
    return head.size() >= at + n && head.compare(at, n, magic) == 0;
  };
  if (starts("\x89PNG")) return "a PNG picture";
  if (starts("\xFF\xD8\xFF")) return "a JPEG picture";
  if (starts("ftyp", 4)) return "an MP4/MOV video";
  if (starts("\x1A\x45\xDF\xA3")) return "a Matroska/WebM video";
  if (starts("PK\x03\x04")) return "a zip archive (a PyTorch .pt/.ckpt file is one)";
  if (starts("\x80\x02") || starts("\x80\x04")) return "a Python pickle (an older PyTorch checkpoint)";
  if (starts("{") || starts("[")) return "a JSON or text file";
  if (starts("v ") || starts("# ") || starts("o ") || starts("mtllib")) return "a text file (an OBJ mesh?)";
  if (starts("ply\n")) return "a PLY mesh";
  return "";
}

std::string notAModelMessage(const std::filesystem::path& path, const std::string& head) {
  const std::string kind = describeFileKind(head);
  return "'" + path.string() + "' is " + (kind.empty() ? "not" : kind + ", not") +
         " a Fieldscope model file (.fsm: it does not start with the model signature)";
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
  if (std::memcmp(magic, kCheckpointMagic, 8) != 0) throw std::runtime_error(notAModelMessage(path, fileHead(path)));
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
