// Shape model timings on the CPU (issue 12): a 50-step DDIM sample, the bake of the occupancy grid at
// 64^3, 128^3 and 256^3 (what the viewer ray-marches) coarse to fine (model/shape/refined_field.h)
// and dense, with how far the coarse-to-fine grid is from the dense one (voxels on the wrong side
// of p = 0.5, largest error where |logit| <= 5), the mesh export at 256^3 (plane-by-plane field
// evaluation + marching cubes: time and triangles) both ways, and the process's peak RSS after each. Uses
// the shipped model when it exists (assets/models/shapes-occupancy.fsm), else an untrained one of
// the preset (the work per voxel does not depend on the weights, the triangle count does).
//   model_shape_bench [--model M] [--preset small] [--threads N] [--out bench/results/model_shape.json]
#include <sys/resource.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "bench/bench_support.h"
#include "model/io/atomic_file.h"
#include "model/shape/occupancy_grid.h"
#include "model/shape/shape_mesh.h"
#include "model/shape/shape_model.h"
#include "model/train/train_support.h"
#include "model/util/blas_threads.h"

using fieldscope::bench::loadAverage;
using fieldscope::bench::peakRssMb;
using fieldscope::bench::seconds;

int main(int argc, char** argv) {
  using namespace fieldscope;
  std::string model = std::string(FIELDSCOPE_SOURCE_DIR) + "/assets/models/shapes-occupancy.fsm";
  std::string preset = "small", out = "bench/results/model_shape.json";
  int threads = int(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--model") model = v;
    else if (k == "--preset") preset = v;
    else if (k == "--threads") threads = std::stoi(v);
    else if (k == "--out") out = v;
    else {
      std::fprintf(stderr, "unknown argument %s\n", k.c_str());
      return 2;
    }
  }
  const double loadAtStart = loadAverage();
  torch::set_num_threads(threads);
  const bool trained = std::filesystem::exists(model);
  auto m = trained ? ShapeModel::load(model) : ShapeModel::untrained(preset);
  nlohmann::json j = {{"model", trained ? model : "untrained " + preset},
                      {"commit", fieldscope::bench::commit()},
                      {"device", "cpu"},
                      {"torch_threads", threads},
                      {"threads",
                       {{"torch_intra_op", at::get_num_threads()},
                        {"hardware", fieldscope::bench::hardwareThreads()},
                        {"blas", blasThreadsText()}}},
                      {"hardware", hardwareDescription()},
                      {"machine_load_average_1min", loadAtStart},
                      {"load_average_at_start", loadAtStart},
                      {"date", utcTimestamp()}};
  torch::Tensor latent;
  m->sampleLatent(0, 5);  // warm-up
  j["sample_50_steps_s"] = seconds([&] { latent = m->sampleLatent(1, 50); });
  TriplaneFields fields;
  j["make_fields_s"] = seconds([&] { fields = m->makeFields(latent); });
  for (int n : {64, 128, 256}) {
    auto dense = torch::empty({n, n, n}), fine = torch::empty({n, n, n});
    BakeOptions exact;
    exact.stride = 1;
    const double sd = seconds([&] { m->bake(fields, n, dense, exact); });
    const double sf = seconds([&] { m->bake(fields, n, fine); });
    const auto inBand = dense.abs() <= 5;
    const double wrongSide = ((fine > 0) != (dense > 0)).to(torch::kFloat64).mean().item<double>();
    const double bandError = inBand.any().item<bool>() ? (fine - dense).abs().masked_select(inBand).max().item<double>() : 0;
    j["bake"][std::to_string(n)] = {{"seconds", sf},
                                    {"dense_seconds", sd},
                                    {"speedup", sd / sf},
                                    {"wrong_side_fraction", wrongSide},
                                    {"max_error_within_5_logits", bandError},
                                    {"peak_rss_mb", peakRssMb()}};
    std::fprintf(stderr, "bake %d^3: %.2f s coarse to fine, %.2f s dense; wrong side %.2e, band error %.2e\n", n, sf, sd,
                 wrongSide, bandError);
  }
  for (int stride : {0, 1}) {
    std::optional<Mesh> mesh;
    ShapeMeshOptions o;
    o.resolution = 256;
    o.stride = stride;
    const double ms = seconds([&] { mesh = shapeMesh(*m, fields, o); });
    j[stride == 1 ? "mesh_256_dense" : "mesh_256"] = {{"seconds", ms},
                                                     {"triangles", mesh ? mesh->triangles.size() : 0},
                                                     {"vertices", mesh ? mesh->positions.size() : 0},
                                                     {"peak_rss_mb", peakRssMb()}};
    std::fprintf(stderr, "mesh 256^3 (%s): %.2f s, %zu triangles\n", stride == 1 ? "dense" : "coarse to fine", ms,
                 mesh ? mesh->triangles.size() : size_t(0));
  }
  j["load_average_at_end"] = loadAverage();
  writeBytesAtomically(out, j.dump(2) + "\n");
  std::printf("%s\n", j.dump(2).c_str());
  return 0;
}
