#include "app/cli/output_name.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>

namespace fieldscope {

std::string lowerExtension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return ext;
}

void checkOutputName(const std::string& out, std::initializer_list<const char*> allowed, const std::string& kind,
                     const std::string& flag) {
  std::string names;
  for (const char* a : allowed) names += (names.empty() ? "" : " or ") + std::string(a);
  if (out.empty()) throw std::runtime_error(flag + " is empty: give the output a file name ending in " + names);
  std::error_code ec;
  if (std::filesystem::is_directory(out, ec) || out.back() == '/')
    throw std::runtime_error(flag + " '" + out + "' is a folder: give the output a file name ending in " + names);
  const std::string ext = lowerExtension(out);
  for (const char* a : allowed)
    if (ext == a) return;
  throw std::runtime_error(flag + " '" + out + "': " + kind + " is written as " + names +
                           (ext.empty() ? "; add the extension" : "; '" + ext + "' is not written") +
                           " (e.g. " + std::filesystem::path(out).replace_extension(*allowed.begin()).string() + ")");
}

}  // namespace fieldscope
