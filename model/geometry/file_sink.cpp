#include "model/geometry/file_sink.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "model/io/atomic_file.h"

namespace fieldscope {
namespace {
constexpr std::size_t kFlushBytes = std::size_t{1} << 20;

[[noreturn]] void fail(const char* what) {
  const int error = errno;
  // The common cause of a failed write deserves plain words (the data set writer fills disks).
  throw std::runtime_error(std::string(what) + ": " + writeErrorText(error));
}
}  // namespace

FileSink::FileSink(const std::filesystem::path& path) {
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) fail("cannot create file");
  buffer_.reserve(kFlushBytes + 4096);
}

FileSink::~FileSink() {
  if (file_) std::fclose(file_);
}

void FileSink::write(std::string_view bytes) {
  buffer_.append(bytes);
  if (buffer_.size() >= kFlushBytes) flush();
}

void FileSink::flush() {
  if (buffer_.empty()) return;
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) fail("write failed");
  buffer_.clear();
}

void FileSink::close() {
  flush();
  if (std::fflush(file_) != 0) fail("write failed");
  std::FILE* f = file_;
  file_ = nullptr;
  if (std::fclose(f) != 0) fail("closing the file failed");
}

}  // namespace fieldscope
