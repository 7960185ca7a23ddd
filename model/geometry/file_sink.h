#pragma once
// A buffered binary output file whose every write and the final close are checked: a full disk or
// an I/O error throws std::runtime_error with the system's reason instead of leaving a silently
// truncated file. The mesh writers use it inside writeFileAtomically (model/io/atomic_file.h),
// which names the target file in the message and removes the temporary.
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace fieldscope {

class FileSink {
 public:
  explicit FileSink(const std::filesystem::path& path);
  ~FileSink();  // closes without checking: only reached on an error path (close() not called)
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  void write(std::string_view bytes);  // buffered; flushes every ~1 MiB
  void close();                        // flushes, closes and checks both

 private:
  void flush();
  std::FILE* file_ = nullptr;
  std::string buffer_;
};

}  // namespace fieldscope
