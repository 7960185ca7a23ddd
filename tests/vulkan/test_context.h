#pragma once
// The Vulkan fixtures' context: quiet, validation layers on (test_support.h).
#include <memory>

#include "render/context.h"
#include "tests/vulkan/test_support.h"

namespace fieldscope::testing {

inline std::unique_ptr<VulkanContext> makeValidatedContext() {
  enableValidationForTests();
  ContextOptions o;
  o.quiet = true;
  return std::make_unique<VulkanContext>(o);
}

}  // namespace fieldscope::testing
