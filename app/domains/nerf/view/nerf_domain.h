#pragma once
// The NeRF domain: checkpoints with domain "nerf" (a fitted scene) open as a NerfView.
#include <memory>

#include "app/domain/domain.h"

namespace fieldscope {
std::unique_ptr<Domain> makeNerfDomain();
}  // namespace fieldscope
