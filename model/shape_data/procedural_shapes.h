#pragma once
// Families of procedural solids for the shape set (../shared/DESIGN.md §5.3; issue 12, item 2):
// table, chair, mug, lamp, ring, dumbbell, bracket, snowman, bottle, gear — each a CSG of a few
// primitives (model/shape_data/csg_solid.h) whose sizes, counts and styles come from a seed, so one
// family gives recognisably the same object in many variants. y is up (as in ShapeNet).
//
// The solids are in the family's own units; meshSolid (solid_mesh.h) normalises them to the unit
// cube. Every part overlaps the part it hangs on by a margin (no two parts merely touch), so the
// union is one connected solid and its mesh has no pinched vertices.
#include <cstdint>
#include <string>
#include <vector>

#include "model/shape_data/csg_solid.h"

namespace fieldscope {

struct ShapeParameter {
  std::string name;
  double value = 0;  // lengths in the family's units; choices as 0/1 or small integers
};

struct ProceduralShape {
  std::string family;
  std::vector<ShapeParameter> params;  // what was drawn, in order (for the manifest)
  Solid solid;
};

// The family names, in a fixed order.
const std::vector<std::string>& shapeFamilies();

// One shape of `family` from `seed`. Throws std::invalid_argument for an unknown family.
ProceduralShape makeShape(const std::string& family, std::uint64_t seed);

// Shape `index` of the set made with `seed`: the family is drawn too. `attempt` > 0 draws
// another shape for the same index (the data set redraws a shape whose mesh is not clean).
ProceduralShape makeSetShape(std::uint64_t seed, std::uint64_t index, int attempt = 0);

}  // namespace fieldscope
