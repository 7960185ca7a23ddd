#include "model/scene_data/scene_dataset.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <stdexcept>

#include "model/io/atomic_file.h"
#include "model/io/png_encode.h"
#include "model/scene_data/nerf_transforms.h"
#include "model/scene_data/procedural_scenes.h"
#include "model/scene_data/scene_camera.h"
#include "model/shape_data/shape_random.h"
#include "model/video_data/indexed_work.h"
#include "model/video_data/staged_folder.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

std::string quoted(const fs::path& p) {
  std::string s(1, '\'');
  s += p.string();
  s += '\'';
  return s;
}

void checkOptions(const SceneDataOptions& o) {
  if (o.count < 1 || o.count > 9999) throw std::invalid_argument("--count must be in [1, 9999]");
  if (o.trainViews < 1 || o.trainViews > 1000) throw std::invalid_argument("--train-views must be in [1, 1000]");
  if (o.testViews < 1 || o.testViews > 1000) throw std::invalid_argument("--test-views must be in [1, 1000]");
  if (o.size < 16 || o.size > 800) throw std::invalid_argument("--size must be in [16, 800]");
}

// The cameras of scene `index`: its own random training views, the shared test spiral.
std::vector<Matrix4> sceneCameras(const SceneDataOptions& o, int index, bool train) {
  if (!train) return spiralOrbitCameras(o.testViews);
  return randomOrbitCameras(o.trainViews, ShapeRandom::streamSeed(o.seed ^ 0x5ce7e5ull, static_cast<std::uint64_t>(index)));
}

std::string viewFile(bool train, int view) { return std::string(train ? "train" : "test") + "/r_" + std::to_string(view); }

void writeTransforms(const fs::path& scene, const SceneDataOptions& o, int index, bool train) {
  std::vector<NerfFrame> views;
  const std::vector<Matrix4> cameras = sceneCameras(o, index, train);
  for (std::size_t v = 0; v < cameras.size(); ++v) views.push_back({cameras[v], "./" + viewFile(train, static_cast<int>(v))});
  writeNerfTransforms(scene / (train ? "transforms_train.json" : "transforms_test.json"), kSceneCameraAngleX, views);
}

json describeScene(const ProceduralScene& scene) {
  json prims = json::array();
  for (const ScenePrimitive& p : scene.primitives)
    prims.push_back({{"kind", primitiveKindName(p.shape.kind)}, {"colour", {p.colour.x, p.colour.y, p.colour.z}}});
  return prims;
}

// The scene folders of an earlier set in DIR (replaced by publish even when the new set is smaller).
std::vector<std::string> earlierSceneFolders(const fs::path& dir, int count) {
  std::vector<std::string> out;
  static const std::regex name("scene_[0-9]{4}");
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string n = e.path().filename().string();
    if (std::regex_match(n, name) && std::stoi(n.substr(6)) >= count) out.push_back(n);
  }
  return out;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::string sceneFolderName(int index) {
  char name[32];
  std::snprintf(name, sizeof name, "scene_%04d", index);
  return name;
}

bool isSceneDataset(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / kSceneDatasetManifest, ec);
}

SceneDataSummary makeSceneDataset(const fs::path& dir, const SceneDataOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  checkOptions(o);
  StagedFolderSpec spec{"scene", kSceneDatasetPartial, {}, isSceneDataset, kSceneDatasetManifest, {}};
  for (int i = 0; i < o.count; ++i) spec.parts.push_back(sceneFolderName(i));
  std::error_code ec;
  if (fs::is_directory(dir, ec)) spec.retired = earlierSceneFolders(dir, o.count);
  StagedFolder folder(dir, std::move(spec), o.force);

  json scenes = json::array(), trainNames = json::array(), heldOutNames = json::array();
  SceneDataSummary summary;
  for (int i = 0; i < o.count; ++i) {
    const fs::path scene = folder.staging() / sceneFolderName(i);
    fs::create_directories(scene / "train");
    fs::create_directories(scene / "test");
    writeTransforms(scene, o, i, true);
    writeTransforms(scene, o, i, false);
    const bool held = sceneHeldOut(i);
    (held ? heldOutNames : trainNames).push_back(sceneFolderName(i));
    (held ? summary.heldOut : summary.train) += 1;
    scenes.push_back({{"name", sceneFolderName(i)}, {"split", held ? "held_out" : "train"},
                      {"primitives", describeScene(drawProceduralScene(o.seed, static_cast<std::uint64_t>(i)))}});
  }

  const int perScene = o.trainViews + o.testViews;
  const bool finished = runIndexed(
      o.count * perScene,
      [&](int item) {
        const int index = item / perScene, view = item % perScene;
        const bool train = view < o.trainViews;
        const int v = train ? view : view - o.trainViews;
        const ProceduralScene scene = drawProceduralScene(o.seed, static_cast<std::uint64_t>(index));
        const Matrix4 camera = sceneCameras(o, index, train)[static_cast<std::size_t>(v)];
        const std::vector<std::uint8_t> rgba = renderProceduralView(scene, camera, kSceneCameraAngleX, {o.size, o.size, 2});
        const fs::path file = folder.staging() / sceneFolderName(index) / (viewFile(train, v) + ".png");
        writeBytesAtomically(file, encodePngBytes(o.size, o.size, 4, rgba.data(), o.size * 4));
      },
      {o.threads, o.progress, o.cancelled});
  if (!finished) {
    summary = {};
    summary.cancelled = true;
    summary.seconds = secondsSince(start);
    return summary;  // the staged folder's destructor removes the partial set
  }
  json manifest = {{"format", kSceneDatasetFormat},
                   {"version", kSceneDatasetVersion},
                   {"count", o.count},
                   {"size", o.size},
                   {"train_views", o.trainViews},
                   {"test_views", o.testViews},
                   {"seed", o.seed},
                   {"camera_angle_x", kSceneCameraAngleX},
                   {"generator", "procedural: 2-5 primitives (sphere, box, cylinder, torus) in [-0.9, 0.9]^3, Lambert + "
                                 "ambient, cameras on a sphere of radius 4 looking at the origin, world up +Z"},
                   {"layout", "scene_NNNN/transforms_{train,test}.json + scene_NNNN/{train,test}/r_K.png (RGBA8, transparent background)"},
                   {"split", "scene index % 8 == 7 is held out"},
                   {"train", std::move(trainNames)},
                   {"held_out", std::move(heldOutNames)},
                   {"scenes", std::move(scenes)}};
  writeBytesAtomically(folder.staging() / kSceneDatasetManifest, manifest.dump(1) + "\n");
  folder.publish();
  summary.scenes = o.count;
  summary.views = o.count * perScene;
  summary.seconds = secondsSince(start);
  return summary;
}

SceneFolders listSceneFolders(const fs::path& dir) {
  SceneFolders out;
  std::error_code ec;
  if (fs::is_regular_file(dir / "transforms_train.json", ec)) {
    out.train.push_back(dir);
    return out;
  }
  if (!fs::is_directory(dir, ec)) throw std::runtime_error(quoted(dir) + " is not a folder");
  std::set<std::string> heldOut;
  const fs::path manifestFile = dir / kSceneDatasetManifest;
  if (fs::is_regular_file(manifestFile, ec)) {
    std::ifstream in(manifestFile, std::ios::binary);
    nlohmann::json manifest;
    try {
      manifest = nlohmann::json::parse(in);
    } catch (const std::exception& e) {
      throw std::runtime_error(quoted(manifestFile) + ": not valid JSON (" + e.what() + ")");
    }
    if (!manifest.is_object() || !manifest.contains("held_out") || !manifest.at("held_out").is_array())
      throw std::runtime_error(quoted(manifestFile) + ": \"held_out\" is missing or not a list");
    for (const auto& name : manifest.at("held_out")) {
      if (!name.is_string()) throw std::runtime_error(quoted(manifestFile) + ": \"held_out\" holds something that is not a name");
      heldOut.insert(name.get<std::string>());
    }
  }
  std::vector<fs::path> folders;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_directory(ec) && fs::is_regular_file(e.path() / "transforms_train.json", ec)) folders.push_back(e.path());
  std::sort(folders.begin(), folders.end());
  for (const fs::path& f : folders) (heldOut.count(f.filename().string()) ? out.heldOut : out.train).push_back(f);
  if (folders.empty())
    throw std::runtime_error(quoted(dir) + " holds no NeRF scene (no transforms_train.json in it or in a folder in it)");
  return out;
}

}  // namespace fieldscope
