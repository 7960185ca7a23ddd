#include "model/torch_archive/zip_archive.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>

namespace fieldscope {
namespace {

constexpr uint32_t kLocalHeaderSig = 0x04034b50, kCentralSig = 0x02014b50, kEndSig = 0x06054b50;
constexpr uint32_t kZip64EndSig = 0x06064b50, kZip64LocatorSig = 0x07064b50;
constexpr uint64_t kLocalHeaderSize = 30, kCentralHeaderSize = 46, kEndSize = 22, kZip64EndSize = 56;
constexpr uint64_t kZip64LocatorSize = 20, kMaxComment = 65535;
constexpr uint64_t kMaxCentralDirectory = uint64_t(1) << 30;
constexpr uint64_t kVerifyPiece = uint64_t(1) << 20;

uint16_t le16(const unsigned char* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t le32(const unsigned char* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
uint64_t le64(const unsigned char* p) { return uint64_t(le32(p)) | uint64_t(le32(p + 4)) << 32; }

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

// Reads the sizes a ZIP64 extra field (id 0x0001) carries: each field is present only where the
// central directory's own field is saturated, in the order uncompressed, compressed, offset.
void applyZip64Extra(const unsigned char* extra, uint64_t extraLen, uint64_t& usize, uint64_t& csize,
                     uint64_t& localOff, bool needU, bool needC, bool needOff, const std::string& fail) {
  if (!needU && !needC && !needOff) return;  // the other extra fields are not read
  uint64_t q = 0;
  while (extraLen - q >= 4) {
    const uint16_t id = le16(extra + q), len = le16(extra + q + 2);
    q += 4;
    if (len > extraLen - q) throw std::runtime_error(fail + "an extra field runs past its header");
    if (id == 0x0001) {
      uint64_t r = 0;
      auto take = [&](uint64_t& v) {
        if (len - r < 8) throw std::runtime_error(fail + "its ZIP64 extra field is too short");
        v = le64(extra + q + r);
        r += 8;
      };
      if (needU) take(usize);
      if (needC) take(csize);
      if (needOff) take(localOff);
      return;
    }
    q += len;
  }
  throw std::runtime_error(fail + "sizes are saturated (0xFFFFFFFF) but there is no ZIP64 extra field");
}

}  // namespace

uint32_t zipCrc32(const void* data, size_t n, uint32_t crc) {
  // Slicing by 8: eight 256-entry tables (8 KB), a few GB/s -- a 20 GB checkpoint verifies in seconds.
  static const auto t = [] {
    std::array<std::array<uint32_t, 256>, 8> tables{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      tables[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; ++i)
      for (size_t s = 1; s < 8; ++s) tables[s][i] = (tables[s - 1][i] >> 8) ^ tables[0][tables[s - 1][i] & 0xFF];
    return tables;
  }();
  const auto* p = static_cast<const unsigned char*>(data);
  crc = ~crc;
  for (; n >= 8; n -= 8, p += 8) {
    const uint32_t lo = crc ^ le32(p), hi = le32(p + 4);
    crc = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^ t[3][hi & 0xFF] ^
          t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
  }
  for (; n > 0; --n) crc = t[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

std::string ZipArchive::where() const {
  // Appended, not "'" + string: GCC 12 warns falsely (-Wrestrict) on const char* + std::string&&.
  std::string w = "'";
  w += path_.string();
  w += "': ";
  return w;
}

void ZipArchive::readAt(uint64_t at, uint64_t n, void* dst, const std::string& what) const {
  if (at > fileSize_ || n > fileSize_ - at)
    throw std::runtime_error(where() + what + " (" + std::to_string(n) + " bytes at offset " + std::to_string(at) +
                             ") lies past the end of the file (" + std::to_string(fileSize_) + " bytes): truncated?");
  if (n == 0) return;
  in_->clear();
  in_->seekg(static_cast<std::streamoff>(at));
  in_->read(static_cast<char*>(dst), static_cast<std::streamsize>(n));
  if (!*in_ || static_cast<uint64_t>(in_->gcount()) != n)
    throw std::runtime_error(where() + "reading " + what + " at offset " + std::to_string(at) +
                             " failed (the file changed or is unreadable)");
}

ZipArchive ZipArchive::open(const std::filesystem::path& path) {
  ZipArchive a;
  a.path_ = path;
  const std::string w = a.where();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw std::runtime_error(w + "is a folder, not a zip archive");
  a.in_ = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*a.in_) throw std::runtime_error("cannot open '" + path.string() + "': no such file or no permission");
  a.in_->seekg(0, std::ios::end);
  const std::streamoff end = a.in_->tellg();
  if (!*a.in_ || end < 0) throw std::runtime_error(w + "cannot tell its size");
  a.fileSize_ = static_cast<uint64_t>(end);
  if (a.fileSize_ == 0) throw std::runtime_error(w + "the file is empty");

  // The end-of-central-directory record: the last 22 bytes, unless a comment (up to 64 KiB) follows it.
  const uint64_t tailSize = std::min(a.fileSize_, kEndSize + kMaxComment);
  std::vector<unsigned char> tail(tailSize);
  a.readAt(a.fileSize_ - tailSize, tailSize, tail.data(), "the file's end");
  uint64_t found = UINT64_MAX;
  for (uint64_t i = tailSize >= kEndSize ? tailSize - kEndSize + 1 : 0; i-- > 0;) {
    if (le32(&tail[i]) == kEndSig && i + kEndSize + le16(&tail[i + 20]) <= tailSize) {
      found = i;
      break;
    }
  }
  if (found == UINT64_MAX) {
    unsigned char head[4] = {0, 0, 0, 0};
    a.readAt(0, std::min<uint64_t>(4, a.fileSize_), head, "the file's start");
    if (head[0] == 0x80 && head[1] <= 5)
      throw std::runtime_error(w +
                               "is a plain pickle (a legacy torch.save file, before PyTorch 1.6), not a zip archive");
    if (le32(head) == kLocalHeaderSig)
      throw std::runtime_error(w + "a zip archive without its end-of-central-directory record: truncated?");
    throw std::runtime_error(w + "not a zip archive (no end-of-central-directory record)");
  }
  const unsigned char* e = &tail[found];
  const uint64_t endPos = a.fileSize_ - tailSize + found;
  uint64_t disk = le16(e + 4), cdDisk = le16(e + 6), count = le16(e + 10);
  uint64_t cdSize = le32(e + 12), cdOffset = le32(e + 16);
  const bool saturated = le16(e + 8) == 0xFFFF || count == 0xFFFF || cdSize == 0xFFFFFFFF || cdOffset == 0xFFFFFFFF;
  if (saturated && endPos >= kZip64LocatorSize) {
    unsigned char loc[kZip64LocatorSize];
    a.readAt(endPos - kZip64LocatorSize, kZip64LocatorSize, loc, "the ZIP64 end locator");
    if (le32(loc) == kZip64LocatorSig) {
      const uint64_t at = le64(loc + 8);
      if (at > endPos - kZip64LocatorSize || kZip64EndSize > endPos - kZip64LocatorSize - at)
        throw std::runtime_error(w + "the ZIP64 end record's offset " + std::to_string(at) + " is outside the file");
      unsigned char z[kZip64EndSize];
      a.readAt(at, kZip64EndSize, z, "the ZIP64 end record");
      if (le32(z) != kZip64EndSig)
        throw std::runtime_error(w + "no ZIP64 end record at offset " + std::to_string(at) + " (corrupt)");
      disk = le32(z + 16);
      cdDisk = le32(z + 20);
      count = le64(z + 32);
      cdSize = le64(z + 40);
      cdOffset = le64(z + 48);
    }
  }
  if (disk != 0 || cdDisk != 0) throw std::runtime_error(w + "a multi-part (split) zip archive, not supported");
  if (cdOffset > endPos || cdSize > endPos - cdOffset)
    throw std::runtime_error(w + "the central directory (" + std::to_string(cdSize) + " bytes at offset " +
                             std::to_string(cdOffset) + ") lies outside the file (" + std::to_string(a.fileSize_) +
                             " bytes): truncated or corrupt");
  if (cdSize > kMaxCentralDirectory)
    throw std::runtime_error(w + "the central directory is " + std::to_string(cdSize) + " bytes (more than 1 GiB)");
  if (count > cdSize / kCentralHeaderSize)
    throw std::runtime_error(w + "the end record claims " + std::to_string(count) + " records, more than its " +
                             std::to_string(cdSize) + "-byte central directory can hold (corrupt)");

  std::vector<unsigned char> cd(cdSize);
  a.readAt(cdOffset, cdSize, cd.data(), "the central directory");
  a.entries_.reserve(count);
  uint64_t p = 0;
  for (uint64_t k = 0; k < count; ++k) {
    const std::string entryAt = w + "central directory entry " + std::to_string(k) + ": ";
    if (cdSize - p < kCentralHeaderSize || le32(&cd[p]) != kCentralSig)
      throw std::runtime_error(entryAt + "missing or cut short (corrupt central directory)");
    const unsigned char* h = &cd[p];
    const uint16_t flags = le16(h + 8), method = le16(h + 10);
    const uint32_t crc = le32(h + 16), csize32 = le32(h + 20), usize32 = le32(h + 24), off32 = le32(h + 42);
    const uint64_t nameLen = le16(h + 28), extraLen = le16(h + 30), commentLen = le16(h + 32);
    if (nameLen + extraLen + commentLen > cdSize - p - kCentralHeaderSize)
      throw std::runtime_error(entryAt + "its name and extra fields run past the central directory (corrupt)");
    ZipEntry entry;
    entry.name.assign(reinterpret_cast<const char*>(h + kCentralHeaderSize), nameLen);
    entry.crc32 = crc;
    const std::string fail = w + "record '" + entry.name + "': ";
    uint64_t usize = usize32, csize = csize32, localOff = off32;
    applyZip64Extra(h + kCentralHeaderSize + nameLen, extraLen, usize, csize, localOff, usize32 == 0xFFFFFFFF,
                    csize32 == 0xFFFFFFFF, off32 == 0xFFFFFFFF, fail);
    p += kCentralHeaderSize + nameLen + extraLen + commentLen;
    if (flags & 1) throw std::runtime_error(fail + "encrypted, not supported");
    if (method != 0)
      throw std::runtime_error(fail + "compressed (method " + std::to_string(method) +
                               "); only stored records (method 0, as torch.save writes them) are supported");
    if (csize != usize)
      throw std::runtime_error(fail + "a stored record whose sizes disagree (" + std::to_string(csize) + " vs " +
                               std::to_string(usize) + "): corrupt");
    unsigned char lh[kLocalHeaderSize];
    a.readAt(localOff, kLocalHeaderSize, lh, "record '" + entry.name + "''s local header");
    if (le32(lh) != kLocalHeaderSig)
      throw std::runtime_error(fail + "no local header at offset " + std::to_string(localOff) + " (corrupt)");
    entry.dataOffset = localOff + kLocalHeaderSize + le16(lh + 26) + le16(lh + 28);
    entry.size = usize;
    if (entry.dataOffset > a.fileSize_ || entry.size > a.fileSize_ - entry.dataOffset)
      throw std::runtime_error(fail + std::to_string(entry.size) + " bytes at offset " +
                               std::to_string(entry.dataOffset) + " run past the end of the file (" +
                               std::to_string(a.fileSize_) + " bytes): truncated?");
    if (!a.byName_.emplace(entry.name, a.entries_.size()).second)
      throw std::runtime_error(fail + "appears twice in the central directory (corrupt)");
    a.entries_.push_back(std::move(entry));
  }
  return a;
}

void ZipArchive::checkEntry(const ZipEntry& entry) const {
  if (entry.dataOffset > fileSize_ || entry.size > fileSize_ - entry.dataOffset)
    throw std::runtime_error(where() + "record '" + entry.name + "' (" + std::to_string(entry.size) +
                             " bytes at offset " + std::to_string(entry.dataOffset) +
                             ") lies past the end of the file");
}

const ZipEntry* ZipArchive::find(const std::string& name) const {
  const auto it = byName_.find(name);
  return it == byName_.end() ? nullptr : &entries_[it->second];
}

std::string ZipArchive::read(const ZipEntry& entry) const {
  checkEntry(entry);
  const std::string what = "record '" + entry.name + "'";
  std::string bytes(entry.size, '\0');
  readAt(entry.dataOffset, entry.size, bytes.data(), what);
  const uint32_t crc = zipCrc32(bytes.data(), bytes.size());
  if (crc != entry.crc32)
    throw std::runtime_error(where() + what + ": CRC mismatch (directory " + hex32(entry.crc32) + ", data " +
                             hex32(crc) + "): the file is corrupt");
  return bytes;
}

void ZipArchive::readRange(const ZipEntry& entry, uint64_t offset, uint64_t n, void* dst) const {
  if (offset > entry.size || n > entry.size - offset)
    throw std::runtime_error(where() + "record '" + entry.name + "': bytes [" + std::to_string(offset) + ", +" +
                             std::to_string(n) + ") lie outside its " + std::to_string(entry.size) + " bytes");
  readAt(entry.dataOffset + offset, n, dst, "record '" + entry.name + "'");
}

void ZipArchive::verify(const ZipEntry& entry) const {
  checkEntry(entry);
  const std::string what = "record '" + entry.name + "'";
  std::vector<char> piece(static_cast<size_t>(std::min(entry.size, kVerifyPiece)));
  uint32_t crc = 0;
  for (uint64_t done = 0; done < entry.size;) {
    const uint64_t n = std::min(kVerifyPiece, entry.size - done);
    readAt(entry.dataOffset + done, n, piece.data(), what);
    crc = zipCrc32(piece.data(), static_cast<size_t>(n), crc);
    done += n;
  }
  if (crc != entry.crc32)
    throw std::runtime_error(where() + what + ": CRC mismatch (directory " + hex32(entry.crc32) + ", data " +
                             hex32(crc) + "): the file is corrupt");
}

}  // namespace fieldscope
