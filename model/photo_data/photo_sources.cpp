#include "model/photo_data/photo_sources.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <system_error>

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool isPhotoFile(const fs::path& p) {
  const std::string ext = lower(p.extension().string());
  const std::string stem = lower(p.stem().string());
  if (stem == "screenshot" || stem == "preview" || stem == "thumbnail") return false;
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".webp";
}

// ".../NAME/contents/images[_dark]/FILE" -> "NAME" (a KDE wallpaper package), else "".
std::string kdePackage(const fs::path& file) {
  const fs::path variant = file.parent_path();
  const std::string v = variant.filename().string();
  if (v.rfind("images", 0) != 0 || variant.parent_path().filename() != "contents") return "";
  return variant.parent_path().parent_path().filename().string();
}

// "adwaita-l" / "adwaita-d" -> "adwaita"; other names stay.
std::string sceneOfStem(std::string stem) {
  for (const char* suffix : {"-l", "-d", "-day", "-night", "-light", "-dark"}) {
    const std::string s(suffix);
    if (stem.size() > s.size() && stem.compare(stem.size() - s.size(), s.size(), s) == 0)
      return stem.substr(0, stem.size() - s.size());
  }
  return stem;
}
}  // namespace

std::vector<fs::path> systemPhotoRoots() { return {"/usr/share/wallpapers", "/usr/share/backgrounds"}; }

bool sceneHeldOut(const std::string& scene) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : scene) h = (h ^ c) * 16777619u;
  return h % 8 == 0;
}

std::vector<PhotoSource> findPhotos(const std::vector<fs::path>& roots) {
  std::vector<fs::path> files;
  for (const fs::path& root : roots) {
    std::error_code ec;
    if (!fs::exists(root, ec)) continue;
    if (fs::is_regular_file(root, ec)) {
      if (isPhotoFile(root)) files.push_back(root);
      continue;
    }
    fs::recursive_directory_iterator it(root, fs::directory_options::follow_directory_symlink, ec), end;
    if (ec) throw std::runtime_error("cannot read the folder '" + root.string() + "': " + ec.message());
    for (; it != end; it.increment(ec)) {
      if (ec) throw std::runtime_error("cannot read the folder '" + root.string() + "': " + ec.message());
      if (it->is_regular_file(ec) && isPhotoFile(it->path())) files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  // KDE packages: only the largest file of each variant folder.
  std::map<fs::path, fs::path> largest;
  for (const fs::path& f : files) {
    if (kdePackage(f).empty()) continue;
    std::error_code ec;
    fs::path& best = largest[f.parent_path()];
    if (best.empty() || fs::file_size(f, ec) > fs::file_size(best, ec)) best = f;
  }
  std::vector<PhotoSource> out;
  for (const fs::path& f : files) {
    const std::string package = kdePackage(f);
    if (!package.empty() && largest[f.parent_path()] != f) continue;
    PhotoSource s;
    s.file = f;
    s.scene = package.empty() ? sceneOfStem(lower(f.stem().string())) : lower(package);
    s.heldOut = sceneHeldOut(s.scene);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace fieldscope
