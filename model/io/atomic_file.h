#pragma once
// Writing user-visible files: everything is written to a temporary file beside the
// target and renamed into place, so a failed or cancelled write never leaves a
// half-written file and never destroys an existing one.
#include <filesystem>
#include <functional>
#include <string>

namespace fieldscope {

// Calls write(tmp_path) and, if it returns normally, renames tmp_path onto path.
// On any failure the temporary file is removed and std::runtime_error is thrown
// with a message naming `path` and the reason.
void writeFileAtomically(const std::filesystem::path& path,
                         const std::function<void(const std::filesystem::path& tmp)>& write);

// Convenience: write bytes atomically.
void writeBytesAtomically(const std::filesystem::path& path, const std::string& bytes);

}  // namespace fieldscope
