#pragma once
// Shared by the shape data tests: the file helpers (a fresh temporary folder per test, whole-file
// reads; tests/geometry/test_files.h) and a sphere mesh from the project's marching cubes.
#include "model/shape_data/solid_mesh.h"
#include "tests/geometry/test_files.h"

namespace fieldscope::test {

// A closed, outward-oriented sphere of radius ~0.5 centred on the origin.
inline Mesh sphereMesh(int resolution) { return meshSolid(Solid::sphere(1.0), {resolution})->mesh; }

}  // namespace fieldscope::test
