#pragma once
// A test-only 3D domain (docs/architecture.md "The 3D view's parts"): `*.sdftest` files, a small
// JSON {"sdftest": "sphere" | "torus", "resolution": 128, "bake_delay_ms": 0}, open as that
// analytic shape's occupancy logits, baked by torch on a worker thread (GridBaker) into the
// GridView3D's back grid and ray-marched. It is what the 3D view's window tests, screenshots
// and benchmark use: the async re-bake path without a trained model. bake_delay_ms stretches
// each bake (tests of the old grid staying on screen).
#include <memory>

#include "app/domain/domain.h"

namespace fieldscope {
std::unique_ptr<Domain> makeSdfTestDomain();
}  // namespace fieldscope
