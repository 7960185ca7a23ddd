#pragma once
// Analytic and random scalar fields sampled on grids, shared by the geometry tests.
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include "model/geometry/scalar_grid.h"

namespace fieldscope::test {

struct SampledGrid {
  GridShape shape;
  std::vector<float> values;
  ScalarGridView view() const { return {shape, values.data()}; }
};

// Samples f at every grid point of an n^3 grid spanning [-extent, extent]^3.
inline SampledGrid sampleCube(int n, double extent, const std::function<double(const Vec3d&)>& f) {
  SampledGrid g;
  g.shape = {n, n, n, {{-extent, -extent, -extent}, {extent, extent, extent}}};
  g.values.resize(static_cast<std::size_t>(n) * n * n);
  const double h = 2 * extent / (n - 1);
  for (int z = 0; z < n; ++z)
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x)
        g.values[(static_cast<std::size_t>(z) * n + y) * n + x] =
            static_cast<float>(f({-extent + x * h, -extent + y * h, -extent + z * h}));
  return g;
}

// Positive inside a sphere (a signed distance).
inline std::function<double(const Vec3d&)> sphereField(Vec3d centre, double radius) {
  return [=](const Vec3d& p) { return radius - length(p - centre); };
}

// Positive inside a torus around the z axis (a signed distance).
inline std::function<double(const Vec3d&)> torusField(double major, double minor) {
  return [=](const Vec3d& p) {
    const double ring = std::sqrt(p.x * p.x + p.y * p.y) - major;
    return minor - std::sqrt(ring * ring + p.z * p.z);
  };
}

// A sum of random Gaussian blobs of both signs: many components, saddles and thin necks.
inline std::function<double(const Vec3d&)> randomGaussians(std::uint32_t seed, int count) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> pos(-0.9, 0.9), width(0.08, 0.35), weight(-1.0, 1.5);
  struct Blob {
    Vec3d c;
    double w, a;
  };
  std::vector<Blob> blobs;
  for (int i = 0; i < count; ++i) blobs.push_back({{pos(rng), pos(rng), pos(rng)}, width(rng), weight(rng)});
  return [blobs](const Vec3d& p) {
    double v = 0;
    for (const Blob& b : blobs) {
      const Vec3d d = p - b.c;
      v += b.a * std::exp(-dot(d, d) / (2 * b.w * b.w));
    }
    return v;
  };
}

// Independent uniform noise in [-1, 1] at every sample: nearly every cell is an ambiguous case.
inline SampledGrid noiseGrid(std::uint32_t seed, int nx, int ny, int nz) {
  SampledGrid g;
  g.shape = {nx, ny, nz, {{0, 0, 0}, {1, 1, 1}}};
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  g.values.resize(static_cast<std::size_t>(nx) * ny * nz);
  for (float& v : g.values) v = u(rng);
  return g;
}

}  // namespace fieldscope::test
