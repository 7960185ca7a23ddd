#pragma once
// Which photos a photo data set is cut from (docs/architecture.md "Photo crops"), and which of
// them are held out. Default: the wallpapers of Debian's gnome-backgrounds and
// plasma-workspace-wallpapers; else every JPEG/PNG/WebP under the user's folder.
//
// A *scene* groups the variants of one picture (a KDE wallpaper's sizes and its dark version;
// GNOME's -l/-d day and night pair): a scene is either all training or all held out, so no
// held-out crop was seen in another size. Of a KDE wallpaper only the largest file of each
// variant folder is used (the others are resampled copies of it).
#include <filesystem>
#include <string>
#include <vector>

namespace fieldscope {

struct PhotoSource {
  std::filesystem::path file;
  std::string scene;
  bool heldOut = false;
};

// /usr/share/wallpapers and /usr/share/backgrounds.
std::vector<std::filesystem::path> systemPhotoRoots();
// The photos under `roots` (recursively), sorted by path; screenshot/preview files are skipped.
// A missing root is skipped; an unreadable one throws naming it.
std::vector<PhotoSource> findPhotos(const std::vector<std::filesystem::path>& roots);
// The fixed split: a scene is held out when the FNV-1a hash of its name is 0 mod 8.
bool sceneHeldOut(const std::string& scene);

}  // namespace fieldscope
