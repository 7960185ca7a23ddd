#include "model/scene_data/procedural_scenes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "model/shape_data/shape_random.h"

namespace fieldscope {
namespace {

constexpr double kMargin = 0.9;  // every primitive inside [-kMargin, kMargin]^3

// A uniformly random rotation (a normalised Gaussian quaternion).
Mat3 randomRotation(ShapeRandom& r) {
  double w = 0, x = 0, y = 0, z = 0, n = 0;
  do {
    w = r.normal(), x = r.normal(), y = r.normal(), z = r.normal();
    n = std::sqrt(w * w + x * x + y * y + z * z);
  } while (n < 1e-6);
  w /= n, x /= n, y /= n, z /= n;
  return {{1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
          {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
          {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}};
}

Vec3 hsvToRgb(double h, double s, double v) {
  const double hh = (h - std::floor(h)) * 6.0;
  const int sector = std::min(5, static_cast<int>(hh));
  const double f = hh - sector, p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
  switch (sector) {
    case 0: return {v, t, p};
    case 1: return {q, v, p};
    case 2: return {p, v, t};
    case 3: return {p, q, v};
    case 4: return {t, p, v};
    default: return {v, p, q};
  }
}

Primitive drawShape(ShapeRandom& r) {
  Primitive p;
  p.kind = static_cast<PrimitiveKind>(r.integer(0, 3));
  switch (p.kind) {
    case PrimitiveKind::Sphere: p.size = {r.uniform(0.22, 0.42), 0, 0}; break;
    case PrimitiveKind::Box: p.size = {r.uniform(0.14, 0.36), r.uniform(0.14, 0.36), r.uniform(0.14, 0.36)}; break;
    case PrimitiveKind::Cylinder: p.size = {r.uniform(0.12, 0.28), r.uniform(0.18, 0.42), 0}; break;
    case PrimitiveKind::Torus: p.size = {r.uniform(0.24, 0.4), r.uniform(0.07, 0.13), 0}; break;
  }
  p.rotation = randomRotation(r);
  // Near the origin (loosely clustered), never past the margin.
  const double reach = std::max(0.0, std::min(0.5, kMargin - boundingRadius(p)));
  p.centre = {r.uniform(-reach, reach), r.uniform(-reach, reach), r.uniform(-reach, reach)};
  return p;
}

// Lambert under the key light plus ambient: the same from every view.
Vec3 shade(const ScenePrimitive& p, Vec3 normal) {
  const double lambert = std::max(0.0, dot(normal, sceneLightDirection()));
  return (kSceneAmbient + (1 - kSceneAmbient) * lambert) * p.colour;
}

std::uint8_t toByte(double v) { return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255.0)); }

}  // namespace

Vec3 sceneLightDirection() { return normalize(Vec3{0.45, 0.3, 0.85}); }

const char* primitiveKindName(PrimitiveKind kind) {
  switch (kind) {
    case PrimitiveKind::Sphere: return "sphere";
    case PrimitiveKind::Box: return "box";
    case PrimitiveKind::Cylinder: return "cylinder";
    case PrimitiveKind::Torus: return "torus";
  }
  return "?";
}

ProceduralScene drawProceduralScene(std::uint64_t seed, std::uint64_t index) {
  ShapeRandom r(ShapeRandom::streamSeed(seed, index));
  ProceduralScene scene;
  const int count = r.integer(2, 5);
  // Hues evenly spread from a random start (jittered a little): distinct colours.
  const double hue0 = r.uniform();
  for (int i = 0; i < count; ++i) {
    ScenePrimitive p;
    p.shape = drawShape(r);
    const double hue = hue0 + (i + r.uniform(-0.15, 0.15)) / count;
    p.colour = hsvToRgb(hue, r.uniform(0.65, 0.9), r.uniform(0.8, 0.95));
    scene.primitives.push_back(p);
  }
  return scene;
}

std::vector<std::uint8_t> renderProceduralView(const ProceduralScene& scene, const Matrix4& cameraToWorld,
                                               float cameraAngleX, const SceneRenderOptions& o) {
  const int n = std::max(1, o.supersample);
  std::vector<std::uint8_t> out(static_cast<std::size_t>(o.width) * o.height * 4, 0);
  for (int y = 0; y < o.height; ++y)
    for (int x = 0; x < o.width; ++x) {
      Vec3 sum;
      int covered = 0;
      for (int sy = 0; sy < n; ++sy)
        for (int sx = 0; sx < n; ++sx) {
          const Ray ray = pixelRay(cameraToWorld, cameraAngleX, o.width, o.height, x + (sx + 0.5) / n, y + (sy + 0.5) / n);
          double nearest = std::numeric_limits<double>::infinity();
          Vec3 colour;
          for (const ScenePrimitive& p : scene.primitives) {
            Hit hit;
            if (intersect(p.shape, ray, hit) && hit.t < nearest) nearest = hit.t, colour = shade(p, hit.normal);
          }
          if (nearest < std::numeric_limits<double>::infinity()) sum = sum + colour, ++covered;
        }
      std::uint8_t* px = out.data() + (static_cast<std::size_t>(y) * o.width + x) * 4;
      if (covered == 0) continue;  // transparent black, as the Blender renders' background
      const Vec3 c = (1.0 / covered) * sum;  // straight colour of the covered part
      px[0] = toByte(c.x), px[1] = toByte(c.y), px[2] = toByte(c.z);
      px[3] = toByte(double(covered) / (n * n));
    }
  return out;
}

}  // namespace fieldscope
