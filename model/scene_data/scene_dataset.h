#pragma once
// The NeRF scene data set folder (docs/architecture.md "Data", "NeRF scenes"):
//
//   DIR/scenes.json                    what was made: format, version, count, size, views, seed,
//                                      the held-out rule, the lists "train" and "held_out", and per
//                                      scene its primitives (kind, colour)
//   DIR/scene_0000/transforms_train.json, transforms_test.json   (nerf_transforms.h)
//   DIR/scene_0000/train/r_0.png ...   RGBA8, transparent background (procedural_scenes.h)
//   DIR/scene_0000/test/r_0.png ...
//
// Each scene is a NeRF-synthetic scene a NeRF trainer reads as it reads the lego set. Scenes whose
// index % 8 == 7 are held out (a generative model of scenes never trains on them); every scene
// has its own train and test views either way. Scene i of seed S, and its cameras, are the same in
// a set of any size.
//
// Nothing half-made is left (model/video_data/staged_folder.h): the set is built in
// DIR/.fieldscope-partial and moved into place at the end; a cancel or an error removes it and
// leaves DIR as it was. A non-empty DIR that holds no scene set is refused without `force`; with
// it (or over an earlier scene set) the scene folders and scenes.json are replaced, other files stay.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace fieldscope {

struct SceneDataOptions {
  int count = 100;       // scenes, 1..9999
  int trainViews = 50;   // per scene, 1..1000
  int testViews = 10;    // per scene, 1..1000
  int size = 64;         // pictures are size x size, 16..800
  std::uint64_t seed = 0;
  bool force = false;    // write into a non-empty folder that is not a scene set
  int threads = 0;       // views rendered at once; 0: one per hardware thread
  std::function<void(int done, int total)> progress;  // in views (count * (trainViews + testViews))
  std::function<bool()> cancelled;                    // polled on the calling thread
};

struct SceneDataSummary {
  int scenes = 0, train = 0, heldOut = 0;  // scene counts
  int views = 0;                           // pictures written
  bool cancelled = false;
  double seconds = 0;
};

// Throws std::invalid_argument on bad options, std::runtime_error naming the folder (a foreign
// non-empty folder without `force`, a failed write).
SceneDataSummary makeSceneDataset(const std::filesystem::path& dir, const SceneDataOptions& options);

// Whether `dir` holds a scene set's scenes.json.
bool isSceneDataset(const std::filesystem::path& dir);

// The scene folders a trainer reads: DIR itself when it holds transforms_train.json (one scene,
// e.g. the lego set), else every sub-folder that does, in name order. With DIR/scenes.json, the
// folders its "held_out" list names go to heldOut. Throws std::runtime_error naming DIR when there
// is none, or naming scenes.json when it is damaged.
struct SceneFolders {
  std::vector<std::filesystem::path> train, heldOut;
};
SceneFolders listSceneFolders(const std::filesystem::path& dir);

// "scene_0042"; whether scene `index` is held out (index % 8 == 7).
std::string sceneFolderName(int index);
inline bool sceneHeldOut(int index) { return index % 8 == 7; }

inline constexpr const char* kSceneDatasetFormat = "fieldscope-scene-dataset";
inline constexpr const char* kSceneDatasetManifest = "scenes.json";
inline constexpr const char* kSceneDatasetPartial = ".fieldscope-partial";
inline constexpr int kSceneDatasetVersion = 1;

}  // namespace fieldscope
