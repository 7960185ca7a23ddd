#include "model/video_data/staged_folder.h"

#include <stdexcept>

namespace fieldscope {
namespace fs = std::filesystem;
namespace {

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

bool hasEntriesBesides(const fs::path& dir, const std::string& partial) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().filename() != partial) return true;
  return false;
}

}  // namespace

StagedFolder::StagedFolder(const fs::path& dir, StagedFolderSpec spec, bool force)
    : dir_(dir), staging_(dir / spec.partialName), spec_(std::move(spec)) {
  std::error_code ec;
  if (fs::exists(dir_, ec)) {
    if (!fs::is_directory(dir_, ec)) throw std::runtime_error(quoted(dir_) + " exists and is not a folder");
    if (hasEntriesBesides(dir_, spec_.partialName) && !spec_.isSet(dir_) && !force) {
      std::string parts;  // "train/, test/"
      for (std::size_t i = 0; i < spec_.parts.size(); ++i) {
        if (i == 2 && spec_.parts.size() > 3) {  // many scene folders: the first two and the last
          parts += ", ..., " + spec_.parts.back() + "/";
          break;
        }
        parts += (parts.empty() ? "" : ", ") + spec_.parts[i] + "/";
      }
      throw std::runtime_error(quoted(dir_) + " is not empty and holds no " + spec_.kind +
                               " data set (no " + spec_.manifest + " of one): refusing to write into it; choose an empty or new "
                               "folder, or pass --force to write " + parts + " and " + spec_.manifest + " there (those are "
                               "replaced, other files stay)");
    }
  } else {
    fs::create_directories(dir_, ec);
    if (ec) throw std::runtime_error("cannot create " + quoted(dir_) + ": " + ec.message());
    created_ = true;
  }
  fs::remove_all(staging_, ec);  // left by a run that was killed: ours by its name
  for (const std::string& part : spec_.parts) fs::create_directories(staging_ / part, ec);
  if (ec) throw std::runtime_error("cannot create " + quoted(staging_) + ": " + ec.message());
}

StagedFolder::~StagedFolder() {
  if (published_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
  if (created_) fs::remove(dir_, ec);  // only if still empty
}

void StagedFolder::publish() {
  fs::remove(dir_ / spec_.manifest);
  for (const std::string& part : spec_.retired) fs::remove_all(dir_ / part);
  for (const std::string& part : spec_.parts) {
    fs::remove_all(dir_ / part);
    fs::rename(staging_ / part, dir_ / part);
  }
  fs::rename(staging_ / spec_.manifest, dir_ / spec_.manifest);
  published_ = true;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

}  // namespace fieldscope
