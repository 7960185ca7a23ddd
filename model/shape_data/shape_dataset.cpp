#include "model/shape_data/shape_dataset.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "model/geometry/mesh_stats.h"
#include "model/geometry/obj_reader.h"
#include "model/geometry/obj_writer.h"
#include "model/io/atomic_file.h"
#include "model/shape_data/procedural_shapes.h"
#include "model/shape_data/shape_random.h"
#include "model/shape_data/shape_record.h"
#include "model/shape_data/shape_samples.h"
#include "model/shape_data/solid_mesh.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;  // the manifest keeps the order it is written in

constexpr int kDrawAttempts = 5;  // a procedural shape whose mesh is not clean is drawn again
constexpr std::uint64_t kSampleStream = 1000;  // the samples' random stream, apart from the shapes' draws

std::string shapeName(int index) {
  char name[32];
  std::snprintf(name, sizeof name, "shape_%05d", index);
  return name;
}
bool heldOut(int index) { return index % 10 == 9; }
std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

// What one worker made of one index.
struct Outcome {
  enum class Kind { Written, Skipped, Cancelled } kind = Kind::Written;
  json entry;  // Written: the manifest entry; Skipped: {source, reason}
  bool redrawn = false;
};

ShapeSampleOptions sampleOptions(const ShapeDatasetOptions& o, const std::atomic<bool>& stop) {
  ShapeSampleOptions s;
  s.surfacePoints = o.surfacePoints;
  s.queryPoints = o.queryPoints;
  s.threads = 1;  // the data set runs shapes in parallel instead
  s.cancel = &stop;
  return s;
}

double insideFraction(const ShapeRecord& r) {
  std::size_t in = 0;
  for (std::uint8_t l : r.labels) in += l;
  return static_cast<double>(in) / static_cast<double>(r.labels.size());
}

// The mesh is written without normals: the project's OBJ reader ignores them, and they would
// double the files (a 96^3 shape has ~100-300k triangles).
void writeShape(const fs::path& staging, const std::string& split, const std::string& name, Mesh& mesh,
                const ShapeRecord& record) {
  mesh.normals.clear();
  writeObj(staging / split / (name + ".obj"), mesh);
  writeShapeRecord(staging / split / (name + ".shape"), record);
}

json baseEntry(const std::string& name, const std::string& split, const Mesh& mesh, const ShapeRecord& record) {
  return {{"name", name},
          {"split", split},
          {"file", split + "/" + name + ".shape"},
          {"mesh", split + "/" + name + ".obj"},
          {"triangles", mesh.triangles.size()},
          {"inside_fraction", insideFraction(record)}};
}

Outcome makeProcedural(int index, const ShapeDatasetOptions& o, const fs::path& staging, const std::atomic<bool>& stop) {
  std::optional<ProceduralShape> shape;
  std::optional<SolidMesh> mesh;
  int attempt = 0;
  bool clean = false;
  for (; attempt < kDrawAttempts && !clean; ++attempt) {
    ProceduralShape drawn = makeSetShape(o.seed, static_cast<std::uint64_t>(index), attempt);
    std::optional<SolidMesh> meshed = meshSolid(drawn.solid, {o.meshGrid, &stop});
    if (!meshed) return {Outcome::Kind::Cancelled, {}, false};
    const MeshStats stats = computeMeshStats(meshed->mesh);
    clean = stats.closedManifold() && stats.components == 1;
    shape = std::move(drawn);
    mesh = std::move(meshed);
  }
  --attempt;  // the one kept
  const std::uint64_t stream = ShapeRandom::streamSeed(ShapeRandom::streamSeed(o.seed, static_cast<std::uint64_t>(index)),
                                                       kSampleStream + static_cast<std::uint64_t>(attempt));
  const std::optional<ShapeRecord> record = sampleSolidShape(mesh->mesh, mesh->solid, sampleOptions(o, stop), stream);
  if (!record) return {Outcome::Kind::Cancelled, {}, false};
  const std::string name = shapeName(index), split = heldOut(index) ? "test" : "train";
  json entry = baseEntry(name, split, mesh->mesh, *record);
  writeShape(staging, split, name, mesh->mesh, *record);
  entry["family"] = shape->family;
  json params = json::object();
  for (const ShapeParameter& p : shape->params) params[p.name] = p.value;
  entry["params"] = std::move(params);
  entry["draw"] = attempt;
  if (!clean) entry["clean"] = false;  // kept after kDrawAttempts draws: say so
  return {Outcome::Kind::Written, std::move(entry), attempt > 0};
}

Outcome makeFromMesh(int index, const fs::path& file, const fs::path& relative, const ShapeDatasetOptions& o,
                     const fs::path& staging, const std::atomic<bool>& stop) {
  const auto skipped = [&](const std::string& reason) {
    return Outcome{Outcome::Kind::Skipped, {{"source", relative.generic_string()}, {"reason", reason}}, false};
  };
  Mesh mesh;
  bool flipped = false;
  std::optional<ShapeRecord> record;
  try {
    ObjReadOptions read;
    read.normaliseToUnitCube = true;
    mesh = readObj(file, read).mesh;
  } catch (const std::exception& e) {
    return skipped(e.what());  // names the file
  }
  try {
    flipped = turnOutward(mesh);
    record = sampleMeshShape(mesh, sampleOptions(o, stop), ShapeRandom::streamSeed(o.seed, static_cast<std::uint64_t>(index)));
  } catch (const std::exception& e) {
    return skipped("cannot use " + quoted(file) + ": " + e.what());
  }
  if (!record) return {Outcome::Kind::Cancelled, {}, false};
  const std::string name = shapeName(index), split = heldOut(index) ? "test" : "train";
  json entry = baseEntry(name, split, mesh, *record);
  writeShape(staging, split, name, mesh, *record);  // a failed write is fatal (disk full...), not a skip
  entry["source"] = relative.generic_string();
  entry["family"] = relative.has_parent_path() ? relative.parent_path().filename().string() : std::string("mesh");
  if (flipped) entry["flipped"] = true;
  return {Outcome::Kind::Written, std::move(entry), false};
}

// Every *.obj (any case) below `root`, sorted by path, leaving out `exclude` (the output folder
// when it lies inside the meshes' folder).
std::vector<fs::path> listMeshes(const fs::path& root, const fs::path& exclude) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) throw std::runtime_error("--from " + quoted(root) + ": not a folder");
  std::vector<fs::path> files;
  const fs::path skip = fs::weakly_canonical(exclude, ec);
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_directory(ec) && fs::weakly_canonical(it->path(), ec) == skip) {
      it.disable_recursion_pending();
      continue;
    }
    std::string ext = it->path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".obj" && it->is_regular_file(ec)) files.push_back(fs::relative(it->path(), root, ec));
  }
  if (ec) throw std::runtime_error("--from " + quoted(root) + ": cannot list it: " + ec.message());
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) { return a.generic_string() < b.generic_string(); });
  if (files.empty()) throw std::runtime_error("--from " + quoted(root) + ": no .obj files in it or below it");
  return files;
}

bool hasEntriesBesidesPartial(const fs::path& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().filename() != kShapeDatasetPartial) return true;
  return false;
}

// Checks the output folder and creates it if needed; returns whether it was created here.
bool prepareOutput(const fs::path& dir, bool force) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) throw std::runtime_error(quoted(dir) + " exists and is not a folder");
    if (hasEntriesBesidesPartial(dir) && !isShapeDataset(dir) && !force)
      throw std::runtime_error(quoted(dir) + " is not empty and holds no shape data set (no manifest.json of one): "
                               "refusing to write into it; choose an empty or new folder, or pass --force to write "
                               "train/, test/ and manifest.json there (those are replaced, other files stay)");
    return false;
  }
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create " + quoted(dir) + ": " + ec.message());
  return true;
}

// Moves the finished set into place: the old manifest goes first (a folder caught half-way is not
// taken for a complete set), the new one last.
void publish(const fs::path& dir, const fs::path& staging) {
  fs::remove(dir / "manifest.json");
  for (const char* split : {"train", "test"}) {
    fs::remove_all(dir / split);
    fs::rename(staging / split, dir / split);
  }
  fs::rename(staging / "manifest.json", dir / "manifest.json");
  fs::remove_all(staging);
}

}  // namespace

bool isShapeDataset(const fs::path& dir) {
  std::ifstream in(dir / "manifest.json");
  if (!in) return false;
  const json manifest = json::parse(in, nullptr, /*allow_exceptions=*/false);
  return manifest.is_object() && manifest.value("format", std::string()) == kShapeDatasetFormat;
}

ShapeDatasetSummary makeShapeDataset(const fs::path& dir, const ShapeDatasetOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  const bool meshes = !o.fromMeshes.empty();
  if (!meshes && (o.count < 1 || o.count > 1000000)) throw std::invalid_argument("--count must be in [1, 1000000]");
  if (o.surfacePoints < 1 || o.queryPoints < 1) throw std::invalid_argument("--surface-points and --query-points must be >= 1");
  if (o.meshGrid < 16 || o.meshGrid > 512) throw std::invalid_argument("--mesh-grid must be in [16, 512]");

  std::vector<fs::path> files;
  if (meshes) {
    files = listMeshes(o.fromMeshes, dir);
    if (o.count >= 0 && static_cast<std::size_t>(o.count) < files.size()) files.resize(static_cast<std::size_t>(o.count));
  }
  const int total = meshes ? static_cast<int>(files.size()) : o.count;
  const bool created = prepareOutput(dir, o.force);
  const fs::path staging = dir / kShapeDatasetPartial;
  fs::remove_all(staging);  // left by a run that was killed: ours by its name
  fs::create_directories(staging / "train");
  fs::create_directories(staging / "test");

  // Workers take the next index; results land in their slot, so the manifest's order (and bytes)
  // do not depend on the threads.
  std::vector<Outcome> outcomes(static_cast<std::size_t>(total));
  std::atomic<int> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable wake;
  int done = 0;
  std::exception_ptr failure;
  std::deque<std::string> messages;
  const auto work = [&] {
    for (int i; !stop && (i = next++) < total;) {
      Outcome outcome;
      try {
        outcome = meshes ? makeFromMesh(i, o.fromMeshes / files[static_cast<std::size_t>(i)], files[static_cast<std::size_t>(i)], o, staging, stop)
                         : makeProcedural(i, o, staging, stop);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        stop = true;
        wake.notify_all();
        return;
      }
      if (outcome.kind == Outcome::Kind::Cancelled) return;
      std::lock_guard lock(mutex);
      if (outcome.kind == Outcome::Kind::Skipped) messages.push_back("skipped: " + outcome.entry["reason"].get<std::string>());
      outcomes[static_cast<std::size_t>(i)] = std::move(outcome);
      ++done;
      wake.notify_all();
    }
  };
  const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
  const int threads = std::clamp(o.threads > 0 ? o.threads : static_cast<int>(hardware), 1, std::max(1, total));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work);

  ShapeDatasetSummary summary;
  {
    std::unique_lock lock(mutex);
    while (done < total && !failure && !summary.cancelled) {
      wake.wait_for(lock, std::chrono::milliseconds(100));
      std::deque<std::string> said;
      said.swap(messages);
      const int doneNow = done;
      lock.unlock();  // the callbacks print: never under the lock
      for (const std::string& m : said)
        if (o.message) o.message(m);
      if (o.progress) o.progress(doneNow, total);
      if (o.cancelled && o.cancelled()) summary.cancelled = true, stop = true;
      lock.lock();
    }
  }
  for (std::thread& t : pool) t.join();
  for (const std::string& m : messages)
    if (o.message) o.message(m);

  if (failure || summary.cancelled) {
    std::error_code ec;
    fs::remove_all(staging, ec);
    if (created) fs::remove(dir, ec);  // only if still empty
    if (failure) std::rethrow_exception(failure);
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
  }

  json shapes = json::array(), skipped = json::array();
  for (Outcome& outcome : outcomes) {
    if (outcome.kind == Outcome::Kind::Skipped) {
      skipped.push_back(std::move(outcome.entry));
      ++summary.skipped;
      continue;
    }
    (outcome.entry["split"] == "test" ? summary.test : summary.train) += 1;
    summary.redrawn += outcome.redrawn ? 1 : 0;
    shapes.push_back(std::move(outcome.entry));
  }
  const ShapeSampleOptions sampling = sampleOptions(o, stop);
  json manifest = {{"format", kShapeDatasetFormat},
                   {"version", 1},
                   {"generator", meshes ? "meshes" : "procedural"},
                   {"seed", o.seed},
                   {"record_format", "FSSHAPE1 version 1 (model/shape_data/shape_record.h)"},
                   {"frame", "mesh bounding box centred on the origin, longest side 1 (fits [-0.5, 0.5]^3)"},
                   {"split", "index % 10 == 9 is held out (test)"},
                   {"surface_points", o.surfacePoints},
                   {"query_points", o.queryPoints},
                   {"sampling",
                    {{"uniform_fraction", sampling.uniformFraction}, {"uniform_bound", sampling.bound},
                     {"sigma", sampling.sigma}, {"fine_sigma", sampling.fineSigma},
                     {"fine_fraction_of_near", sampling.fineFraction}, {"order", "shuffled"}}},
                   {"counts", {{"train", summary.train}, {"test", summary.test}, {"skipped", summary.skipped}}}};
  if (meshes) {
    manifest["source"] = o.fromMeshes.string();
    manifest["labels"] = "generalized winding number > 0.5";
  } else {
    manifest["families"] = shapeFamilies();
    manifest["mesh_grid"] = o.meshGrid;
    manifest["labels"] = "exact CSG inside test";
    manifest["redrawn"] = summary.redrawn;
  }
  manifest["shapes"] = std::move(shapes);
  if (meshes) manifest["skipped"] = std::move(skipped);
  writeBytesAtomically(staging / "manifest.json", manifest.dump(1) + "\n");
  publish(dir, staging);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace fieldscope
