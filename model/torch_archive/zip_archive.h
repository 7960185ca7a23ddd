#pragma once
// A torch-free reader for the zip container of PyTorch's torch.save files (.pt/.ckpt, the DDMI
// model-last.pt / ldm-last.pt, up to tens of GB; ../shared/reference/ddmi-checkpoints.md section
// 0): the end-of-central-directory record (ZIP64 too), the central directory and each record's
// local header, for records stored uncompressed (method 0, what torch writes). Every size and
// offset is checked against the file size, so a truncated or corrupt file is a std::runtime_error
// naming the file and the problem, never a crash or a huge allocation. One thread at a time.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace fieldscope {

// One record: its name in the archive ("ldm-last/data/12"), where its bytes start in the file,
// how many there are and the CRC-32 the central directory gives for them.
struct ZipEntry {
  std::string name;
  uint64_t dataOffset = 0, size = 0;
  uint32_t crc32 = 0;
};

// CRC-32 (IEEE 802.3, as zip and zlib): pass the previous result as `crc` to continue.
uint32_t zipCrc32(const void* data, size_t n, uint32_t crc = 0);

class ZipArchive {
 public:
  // Reads the directory. Throws std::runtime_error naming `path`: missing, a folder, not a zip
  // archive (a legacy torch pickle is named as one), truncated, corrupt, compressed or encrypted records.
  static ZipArchive open(const std::filesystem::path& path);

  const std::vector<ZipEntry>& entries() const { return entries_; }
  // The record named `name` (exact match), or nullptr.
  const ZipEntry* find(const std::string& name) const;
  // The whole record, its CRC checked.
  std::string read(const ZipEntry& entry) const;
  // Bytes [offset, offset + n) of the record into dst (bounds checked, no CRC check).
  void readRange(const ZipEntry& entry, uint64_t offset, uint64_t n, void* dst) const;
  // Streams the record in 1 MiB pieces and checks its CRC.
  void verify(const ZipEntry& entry) const;
  const std::filesystem::path& path() const { return path_; }

 private:
  ZipArchive() = default;
  // `n` bytes at file offset `at` into dst (checked against the file size); `what` names them for errors.
  void readAt(uint64_t at, uint64_t n, void* dst, const std::string& what) const;
  void checkEntry(const ZipEntry& entry) const;
  std::string where() const;

  std::filesystem::path path_;
  uint64_t fileSize_ = 0;
  std::vector<ZipEntry> entries_;
  std::unordered_map<std::string, size_t> byName_;
  std::unique_ptr<std::ifstream> in_;  // kept open; a pointer so the archive moves cheaply
};

}  // namespace fieldscope
