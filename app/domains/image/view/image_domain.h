#pragma once
// The image domain (DDMI image samples): checkpoints with domain "image" open as an ImageView.
#include <memory>

#include "app/domain/domain.h"

namespace fieldscope {
std::unique_ptr<Domain> makeImageDomain();
}  // namespace fieldscope
