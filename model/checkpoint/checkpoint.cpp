#include "model/checkpoint/checkpoint.h"

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "model/checkpoint/checkpoint_peek.h"
#include "model/io/atomic_file.h"

namespace fieldscope {
namespace {

constexpr const char (&kMagic)[8] = kCheckpointMagic;

uint64_t fnv1a(const char* data, size_t n, uint64_t h = 1469598103934665603ull) {
  for (size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(data[i]);
    h *= 1099511628211ull;
  }
  return h;
}

uint8_t dtypeCode(torch::ScalarType t) {
  switch (t) {
    case torch::kFloat32: return 1;
    case torch::kFloat64: return 2;
    case torch::kFloat16: return 3;
    case torch::kInt64: return 4;
    case torch::kInt32: return 5;
    case torch::kUInt8: return 6;
    case torch::kBFloat16: return 7;
    default: throw std::runtime_error(std::string("checkpoint: unsupported tensor dtype ") + c10::toString(t));
  }
}

torch::ScalarType dtypeFromCode(uint8_t c) {
  switch (c) {
    case 1: return torch::kFloat32;
    case 2: return torch::kFloat64;
    case 3: return torch::kFloat16;
    case 4: return torch::kInt64;
    case 5: return torch::kInt32;
    case 6: return torch::kUInt8;
    case 7: return torch::kBFloat16;
    default: throw std::runtime_error("unknown tensor dtype code " + std::to_string(c));
  }
}

template <typename T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof(T));
}

// Bounds-checked reader over the file's bytes: running off the end means a truncated file.
struct Reader {
  const std::string& buf;
  size_t pos = 0;
  size_t end;
  void need(size_t n) const {
    if (n > end - pos) throw std::runtime_error("file is truncated (unexpected end of data)");
  }
  template <typename T>
  T get() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, buf.data() + pos, sizeof(T));
    pos += sizeof(T);
    return v;
  }
  std::string bytes(size_t n) {
    need(n);
    std::string s = buf.substr(pos, n);
    pos += n;
    return s;
  }
};

}  // namespace

const torch::Tensor& Checkpoint::at(const std::string& name) const {
  auto it = tensors.find(name);
  if (it == tensors.end())
    throw std::runtime_error("checkpoint '" + file.string() + "' has no tensor '" + name + "'");
  return it->second;
}

void saveCheckpoint(const std::filesystem::path& path, const Checkpoint& ckpt) {
  std::string out;
  out.append(kMagic, 8);
  put<uint32_t>(out, kCheckpointFormatVersion);
  const std::string json = ckpt.config.dump(2);
  put<uint64_t>(out, json.size());
  out += json;
  put<uint32_t>(out, static_cast<uint32_t>(ckpt.tensors.size()));
  for (const auto& [name, tensor] : ckpt.tensors) {
    torch::Tensor t = tensor.detach().to(torch::kCPU).contiguous();
    put<uint32_t>(out, static_cast<uint32_t>(name.size()));
    out += name;
    put<uint8_t>(out, dtypeCode(t.scalar_type()));
    put<uint32_t>(out, static_cast<uint32_t>(t.dim()));
    for (int64_t d : t.sizes()) put<int64_t>(out, d);
    const uint64_t nbytes = t.numel() * t.element_size();
    put<uint64_t>(out, nbytes);
    out.append(static_cast<const char*>(t.data_ptr()), nbytes);
  }
  put<uint64_t>(out, fnv1a(out.data(), out.size()));
  writeBytesAtomically(path, out);
}

Checkpoint loadCheckpoint(const std::filesystem::path& path, const std::string& expectDomain) {
  const std::string where = "checkpoint '" + path.string() + "': ";
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw std::runtime_error("'" + path.string() + "' is a folder, not a model file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + where + "no such file or no permission");
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string buf = ss.str();
  if (buf.empty()) throw std::runtime_error("'" + path.string() + "' is empty (0 bytes), not a model file");
  if (buf.size() < 8 || std::memcmp(buf.data(), kMagic, 8) != 0)
    throw std::runtime_error(notAModelMessage(path, buf.substr(0, 64)));
  Checkpoint ckpt;
  ckpt.file = path;
  try {
    if (buf.size() < 8 + 4 + 8) throw std::runtime_error("file is truncated (header incomplete)");
    Reader r{buf, 8, buf.size()};
    const uint32_t version = r.get<uint32_t>();
    if (version != kCheckpointFormatVersion)
      throw std::runtime_error("format version " + std::to_string(version) + " is not supported (this build reads version " +
                               std::to_string(kCheckpointFormatVersion) + ")");
    if (buf.size() < 8 + 4 + 8 + 8) throw std::runtime_error("file is truncated");
    r.end = buf.size() - 8;  // the checksum trails the payload
    uint64_t stored;
    std::memcpy(&stored, buf.data() + r.end, 8);
    const uint64_t jsonLen = r.get<uint64_t>();
    const std::string json = r.bytes(jsonLen);
    const uint32_t count = r.get<uint32_t>();
    for (uint32_t i = 0; i < count; ++i) {
      const uint32_t nameLen = r.get<uint32_t>();
      const std::string name = r.bytes(nameLen);
      const torch::ScalarType dtype = dtypeFromCode(r.get<uint8_t>());
      const uint32_t ndim = r.get<uint32_t>();
      if (ndim > 8) throw std::runtime_error("tensor '" + name + "' has an implausible rank (corrupt file)");
      std::vector<int64_t> dims(ndim);
      int64_t numel = 1;
      const uint64_t room = (r.end - r.pos) / c10::elementSize(dtype);  // the most values the rest of the file holds
      for (auto& d : dims) {
        d = r.get<int64_t>();
        if (d < 0 || d > (int64_t(1) << 32)) throw std::runtime_error("tensor '" + name + "' has a bad size (corrupt file)");
        if (d != 0 && static_cast<uint64_t>(numel) > room / static_cast<uint64_t>(d))  // also keeps numel from overflowing
          throw std::runtime_error("tensor '" + name + "' claims a shape larger than the whole file (corrupt file)");
        numel *= d;
      }
      const uint64_t nbytes = r.get<uint64_t>();
      if (nbytes != static_cast<uint64_t>(numel) * c10::elementSize(dtype))
        throw std::runtime_error("tensor '" + name + "' byte count does not match its shape (corrupt file)");
      r.need(nbytes);
      torch::Tensor t = torch::empty(dims, torch::TensorOptions().dtype(dtype));
      std::memcpy(t.data_ptr(), buf.data() + r.pos, nbytes);
      r.pos += nbytes;
      ckpt.tensors.emplace(name, t);
    }
    if (r.pos != r.end) throw std::runtime_error("file has trailing bytes (corrupt file)");
    if (fnv1a(buf.data(), r.end) != stored) throw std::runtime_error("checksum mismatch (the file is corrupt)");
    try {
      ckpt.config = nlohmann::json::parse(json);
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string("config JSON is invalid: ") + e.what());
    }
    if (!ckpt.config.is_object() || !ckpt.config.contains("domain"))
      throw std::runtime_error("config has no 'domain'");
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(where + e.what());
  }
  if (!expectDomain.empty() && ckpt.config.value("domain", "") != expectDomain)
    throw std::runtime_error(where + "is a '" + ckpt.config.value("domain", "") + "' model, expected a '" + expectDomain +
                             "' model");
  return ckpt;
}

}  // namespace fieldscope
