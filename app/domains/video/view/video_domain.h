#pragma once
// The video domain (DDMI video samples): checkpoints with domain "video" open as a VideoView.
#include <memory>

#include "app/domain/domain.h"

namespace fieldscope {
std::unique_ptr<Domain> makeVideoDomain();
}  // namespace fieldscope
