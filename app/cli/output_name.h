#pragma once
// The -o value of a command (issue 15, items 7 and 8): never empty, and its extension is one the
// command really writes -- `-o out.jpg` is refused rather than filled with PNG bytes.
#include <filesystem>
#include <initializer_list>
#include <string>

namespace fieldscope {

// Lower-case extension with its dot ("" when none).
std::string lowerExtension(const std::filesystem::path& path);

// Throws std::runtime_error naming `flag` and `out` when `out` is empty, names a folder, or its
// extension (case-insensitive) is not in `allowed` (e.g. {".png"}); `kind` says what is written
// ("a picture").
void checkOutputName(const std::string& out, std::initializer_list<const char*> allowed, const std::string& kind,
                     const std::string& flag = "-o");

}  // namespace fieldscope
