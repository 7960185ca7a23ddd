#pragma once
// A data set folder written all at once (the shape set's way, model/shape_data/shape_dataset.h):
// the new set is built in DIR/<partial>, and publish() moves its parts (train/, test/) and its
// manifest (manifest.json) into DIR only at the end -- the old manifest first, the new one last, so a folder
// caught half-way is never taken for a complete set. Destroyed before publish() (an error, a
// cancel), it removes the partial folder, and DIR too if it created DIR.
//
// A non-empty DIR that holds no set of this kind is refused unless `force` (then only the parts and
// manifest.json are replaced; other files stay).
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace fieldscope {

struct StagedFolderSpec {
  std::string kind;          // "clip": in messages ("holds no clip data set")
  std::string partialName;   // ".fieldscope-partial"
  std::vector<std::string> parts = {"train", "test"};
  std::function<bool(const std::filesystem::path&)> isSet;  // whether a folder holds a set of this kind
  std::string manifest = "manifest.json";  // written last by publish(); the scene set's is "scenes.json"
  // Folders of the previous set in DIR that the new one does not have (a smaller scene set written
  // over a larger one): removed by publish(), after the old manifest.
  std::vector<std::string> retired = {};
};

class StagedFolder {
 public:
  // Checks DIR (creates it if missing), starts an empty partial folder with the parts in it.
  // Throws std::runtime_error naming DIR.
  StagedFolder(const std::filesystem::path& dir, StagedFolderSpec spec, bool force);
  ~StagedFolder();
  StagedFolder(const StagedFolder&) = delete;
  StagedFolder& operator=(const StagedFolder&) = delete;

  const std::filesystem::path& staging() const { return staging_; }
  // Moves the parts and staging()/<manifest> into DIR, removes the retired folders and the partial folder.
  void publish();

 private:
  std::filesystem::path dir_, staging_;
  StagedFolderSpec spec_;
  bool created_ = false, published_ = false;
};

}  // namespace fieldscope
