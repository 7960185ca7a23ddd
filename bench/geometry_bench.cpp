// Marching cubes timing at the shape domain's export sizes (128^3, 256^3 over [-0.55, 0.55]^3,
// issue 12): time, triangle count, peak RSS, and whether the mesh is a closed manifold;
// a sphere alongside for the volume/area error against the analytic values.
// Each case runs in its own child process so that its peak RSS (getrusage) is its own.
//
//   geometry_bench [output.json]     (default: bench/results/marching_cubes.json in the source tree)
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <numbers>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.h"
#include "model/geometry/marching_cubes.h"
#include "model/geometry/mesh_stats.h"
#include "model/geometry/ply_writer.h"
#include "model/io/atomic_file.h"

namespace fs = std::filesystem;
using namespace fieldscope;

namespace {

constexpr double kBound = 0.55;  // the shape domain's grid box
constexpr double kSphereRadius = 0.4;

double peakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // Linux reports KiB
}

// A smooth occupancy-like field: a sphere with bumps (several lobes, saddles, no symmetry luck).
double bumpyField(double x, double y, double z) {
  const double r = std::sqrt(x * x + y * y + z * z);
  return 0.38 - r + 0.06 * std::sin(9 * x + 1) * std::sin(8 * y) * std::sin(7 * z + 2) + 0.04 * std::cos(5 * (x + y));
}

double sphereField(double x, double y, double z) { return kSphereRadius - std::sqrt(x * x + y * y + z * z); }

nlohmann::json runCase(const std::string& field, int n) {
  // The occupancy bake's layout: n^3 voxel centres over [-b, b]^3, x fastest.
  GridShape shape{n, n, n, voxelCentreBox(n, kBound)};
  std::vector<float> values(static_cast<std::size_t>(n) * n * n);
  const double h = 2 * kBound / n;
  for (int z = 0; z < n; ++z)
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x) {
        const double px = -kBound + (x + 0.5) * h, py = -kBound + (y + 0.5) * h, pz = -kBound + (z + 0.5) * h;
        values[(static_cast<std::size_t>(z) * n + y) * n + x] =
            static_cast<float>(field == "sphere" ? sphereField(px, py, pz) : bumpyField(px, py, pz));
      }
  const double rssAfterGrid = peakRssMiB();

  const auto start = std::chrono::steady_clock::now();
  const std::optional<Mesh> mesh = marchingCubes(ScalarGridView{shape, values.data()}, 0.0f);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double rssAfterMarching = peakRssMiB();

  const MeshStats stats = computeMeshStats(*mesh);
  const fs::path ply = fs::temp_directory_path() / ("geometry_bench_" + std::to_string(::getpid()) + ".ply");
  const auto writeStart = std::chrono::steady_clock::now();
  writePly(ply, *mesh);
  const double writeSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - writeStart).count();
  const auto plyBytes = fs::file_size(ply);
  fs::remove(ply);

  nlohmann::json j = {{"field", field},
                      {"grid", std::to_string(n) + "^3"},
                      {"marching_seconds", seconds},
                      {"triangles", mesh->triangles.size()},
                      {"vertices", mesh->positions.size()},
                      {"closed_manifold", stats.closedManifold()},
                      {"euler_characteristic", stats.eulerCharacteristic},
                      {"components", stats.components},
                      {"grid_MiB", values.size() * sizeof(float) / 1048576.0},
                      {"peak_rss_MiB_after_grid", rssAfterGrid},
                      {"peak_rss_MiB_after_marching", rssAfterMarching},
                      {"ply_write_seconds", writeSeconds},
                      {"ply_MiB", plyBytes / 1048576.0}};
  if (field == "sphere") {
    const double r = kSphereRadius;
    const double volume = 4.0 / 3.0 * std::numbers::pi * r * r * r, area = 4 * std::numbers::pi * r * r;
    j["volume_relative_error"] = stats.volume / volume - 1;
    j["area_relative_error"] = stats.area / area - 1;
  }
  return j;
}

// Runs one case in a child process and reads its JSON back through a pipe.
nlohmann::json runIsolated(const std::string& field, int n) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    close(fds[0]);
    std::string out;
    try {
      out = runCase(field, n).dump();
    } catch (const std::exception& e) {
      out = nlohmann::json{{"error", e.what()}}.dump();
    }
    const ssize_t written = write(fds[1], out.data(), out.size());
    _exit(written == static_cast<ssize_t>(out.size()) ? 0 : 1);
  }
  close(fds[1]);
  std::string text;
  char buffer[4096];
  for (ssize_t got; (got = read(fds[0], buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(got));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || text.empty())
    throw std::runtime_error("the " + field + " " + std::to_string(n) + "^3 case failed");
  return nlohmann::json::parse(text);
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path output = argc > 1 ? fs::path(argv[1]) : fs::path(FIELDSCOPE_SOURCE_DIR) / "bench/results/marching_cubes.json";
  const double loadAtStart = bench::loadAverage();
  try {
    nlohmann::json cases = nlohmann::json::array();
    for (const char* field : {"bumpy", "sphere"})
      for (int n : {128, 256}) {
        nlohmann::json j = runIsolated(field, n);
        std::cout << j.dump() << std::endl;
        cases.push_back(std::move(j));
      }
    double load[1] = {-1};
    getloadavg(load, 1);  // a busy shared machine slows the timings: say how busy it was
    const nlohmann::json result = {
        {"benchmark", "marching cubes (Kuhn tetrahedra, watertight), single thread, Release"},
        {"box", "[-0.55, 0.55]^3 voxel centres, iso 0, inside = value > iso"},
        {"commit", bench::commit()},
        {"device", "cpu"},
        {"threads", {{"marching_cubes", 1}, {"hardware", bench::hardwareThreads()}}},
        {"hardware_threads", std::thread::hardware_concurrency()},
        {"machine_load_average_1min", loadAtStart},
        {"load_average_1min_at_end", load[0]},
        {"cases", cases}};
    writeBytesAtomically(output, result.dump(2) + "\n");
    std::cout << "wrote " << output << "\n";
  } catch (const std::exception& e) {
    std::cerr << "geometry_bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
