#pragma once
// The exact ray casting of the procedural scenes (docs/architecture.md "Data", "NeRF scenes"):
// placed primitives (a rotation and a centre; sizes in the primitive's own frame) and the first
// hit of a ray with each. Sphere, box and cylinder are solved in closed form; the torus (a quartic)
// by sphere tracing its exact distance inside its bounding sphere.
#include "model/scene_data/scene_math.h"
#include "model/scene_data/scene_camera.h"

namespace fieldscope {

enum class PrimitiveKind { Sphere, Box, Cylinder, Torus };

struct Primitive {
  PrimitiveKind kind = PrimitiveKind::Sphere;
  Vec3 centre;
  Mat3 rotation;   // world = rotation * local + centre
  Vec3 size;       // sphere: (radius); box: half-extents; cylinder: (radius, half-height) about local z;
                   // torus: (major radius, minor radius) about local z
};

// The radius of a sphere about `centre` that holds the primitive in any rotation.
double boundingRadius(const Primitive& p);

struct Hit {
  double t = 0;   // distance along the (unit) ray direction
  Vec3 normal;    // outward, world space, unit length
};

// The first hit with t > 1e-9, if any.
bool intersect(const Primitive& p, const Ray& ray, Hit& hit);

}  // namespace fieldscope
