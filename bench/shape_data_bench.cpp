// Shape data set timings (issue 12, item 2), torch-free:
// - the generalized winding number of a ~20k-triangle mesh (a procedural mug: thin walls, a
//   handle) at 50k query points — the budget is 10 s on one core — half uniform in the box and
//   half near the surface, like a user mesh's labels (precise values, and classify(): the labels
//   only); the tree's build; the brute-force sum for comparison (per point);
// - one procedural shape end to end (draw, mesh, clean check, samples; with and without writing
//   its OBJ and .shape) at the data set's default grid 96 and at 128;
// - a user mesh's samples (winding-number labels + normal orientation) with the default counts.
// Record: shape_data_bench --benchmark_out=bench/results/shape_data.json --benchmark_out_format=json
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "bench/bench_support.h"
#include "model/geometry/mesh_stats.h"
#include "model/geometry/obj_writer.h"
#include "model/shape_data/procedural_shapes.h"
#include "model/shape_data/shape_random.h"
#include "model/shape_data/shape_record.h"
#include "model/shape_data/shape_samples.h"
#include "model/shape_data/solid_mesh.h"
#include "model/shape_data/winding_number.h"

namespace {
using namespace fieldscope;

double peakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

// The coarsest grid whose mug mesh has at least 20k triangles.
const Mesh& userMesh() {
  static const Mesh mesh = [] {
    const Solid mug = makeShape("mug", 3).solid;
    for (int grid = 16;; grid += 2) {
      Mesh m = meshSolid(mug, {grid})->mesh;
      if (m.triangles.size() >= 20000) return m;
    }
  }();
  return mesh;
}

// 50k points: half uniform in [-0.55, 0.55]^3, half near the surface (sigma 0.02 and 0.005).
const std::vector<float>& queries() {
  static const std::vector<float> q = [] {
    const Mesh& m = userMesh();
    ShapeRandom r(1);
    std::vector<float> xyz;
    for (int i = 0; i < 50000; ++i) {
      Vec3d p{r.uniform(-0.55, 0.55), r.uniform(-0.55, 0.55), r.uniform(-0.55, 0.55)};
      if (i % 2) {
        const double s = i % 8 == 1 ? 0.005 : 0.02;
        p = toDouble(m.positions[r.bits() % m.positions.size()]) + Vec3d{s * r.normal(), s * r.normal(), s * r.normal()};
      }
      xyz.insert(xyz.end(), {static_cast<float>(p.x), static_cast<float>(p.y), static_cast<float>(p.z)});
    }
    return xyz;
  }();
  return q;
}

void BM_WindingNumberBuild(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(WindingNumber(userMesh()).nodeCount());
  state.counters["triangles"] = static_cast<double>(userMesh().triangles.size());
}
BENCHMARK(BM_WindingNumberBuild)->Unit(benchmark::kMillisecond);

void BM_WindingNumber50k(benchmark::State& state) {
  const WindingNumber w(userMesh());
  std::vector<float> out(queries().size() / 3);
  for (auto _ : state) w.evaluate(queries(), out, static_cast<int>(state.range(0)));
  state.counters["triangles"] = static_cast<double>(userMesh().triangles.size());
  state.counters["threads"] = static_cast<double>(state.range(0));
  state.counters["points_per_s"] = benchmark::Counter(static_cast<double>(out.size()), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak_rss_mb"] = peakRssMb();
}
BENCHMARK(BM_WindingNumber50k)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

// What labelling uses: the quick pass, and the precise one only near w = 0.5 (same labels).
void BM_WindingClassify50k(benchmark::State& state) {
  const WindingNumber w(userMesh());
  std::vector<std::uint8_t> labels(queries().size() / 3);
  for (auto _ : state) w.classify(queries(), labels, 1);
  state.counters["triangles"] = static_cast<double>(userMesh().triangles.size());
  state.counters["points_per_s"] = benchmark::Counter(static_cast<double>(labels.size()), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_WindingClassify50k)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

void BM_WindingNumberBruteForce1k(benchmark::State& state) {
  const auto& q = queries();
  for (auto _ : state)
    for (std::size_t i = 0; i < 1000; ++i)
      benchmark::DoNotOptimize(windingNumberBruteForce(userMesh(), {q[3 * i], q[3 * i + 1], q[3 * i + 2]}));
  state.counters["points_per_s"] = benchmark::Counter(1000, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_WindingNumberBruteForce1k)->Unit(benchmark::kMillisecond);

// What the data set does for one procedural index, on one core.
void BM_ProceduralShape(benchmark::State& state) {
  const int grid = static_cast<int>(state.range(0));
  const bool write = state.range(1) != 0;
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("shape_data_bench_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::uint64_t index = 0;
  double triangles = 0;
  for (auto _ : state) {
    const ProceduralShape shape = makeSetShape(1, index++);
    SolidMesh m = *meshSolid(shape.solid, {grid});
    benchmark::DoNotOptimize(computeMeshStats(m.mesh).closedManifold());
    const ShapeRecord r = *sampleSolidShape(m.mesh, m.solid, {}, index);
    triangles += static_cast<double>(m.mesh.triangles.size());
    if (write) {
      m.mesh.normals.clear();
      writeObj(dir / "shape.obj", m.mesh);
      writeShapeRecord(dir / "shape.shape", r);
    }
  }
  std::filesystem::remove_all(dir);
  state.counters["grid"] = grid;
  state.counters["mean_triangles"] = triangles / static_cast<double>(index);
  state.counters["peak_rss_mb"] = peakRssMb();
}
BENCHMARK(BM_ProceduralShape)->Args({96, 0})->Args({96, 1})->Args({128, 0})->Unit(benchmark::kMillisecond)->MinTime(5.0);

void BM_UserMeshSamples(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(sampleMeshShape(userMesh(), {}, 1)->labels.size());
  state.counters["triangles"] = static_cast<double>(userMesh().triangles.size());
}
BENCHMARK(BM_UserMeshSamples)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

// BENCHMARK_MAIN() plus the commit, the device and the threads in the JSON's "context" (google
// benchmark records the date, load_avg and num_cpus itself; BM_WindingNumber50k's "threads"
// counter is its own thread count, the others run on one thread).
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("commit", fieldscope::bench::commit());
  benchmark::AddCustomContext("hardware_threads", std::to_string(fieldscope::bench::hardwareThreads()));
  benchmark::AddCustomContext("torch_threads", "not linked");
  benchmark::AddCustomContext("device", "cpu");
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
