#pragma once
// Surface points of a user's OBJ mesh in the shape model's frame (normalised to the unit cube), as
// the encoder takes them (docs/architecture.md "Models"): `encode` on the command line and the
// viewer's Import OBJ both read a mesh through this.
#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace fieldscope {

// count x 3 float. Throws std::runtime_error naming the file (unreadable, broken, no area).
// `warnings`, when given, receives what the OBJ reader ignored.
torch::Tensor meshSurfacePoints(const std::filesystem::path& obj, int count, uint64_t seed,
                                std::vector<std::string>* warnings = nullptr);

}  // namespace fieldscope
