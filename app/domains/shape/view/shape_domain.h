#pragma once
// The shape domain (DDMI occupancy shapes): checkpoints with domain "shape" open as a ShapeView.
#include <memory>

#include "app/domain/domain.h"

namespace fieldscope {
std::unique_ptr<Domain> makeShapeDomain();
}  // namespace fieldscope
