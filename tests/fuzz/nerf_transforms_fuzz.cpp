// The NeRF transforms reader (model/scene_data/nerf_transforms.h, docs/architecture.md "Data",
// "NeRF scenes"): any bytes as a transforms_train.json. It may refuse them with a
// std::runtime_error naming the file; what it accepts has frames and an angle in (0, pi).
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "model/scene_data/nerf_transforms.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fieldscope;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const NerfTransforms t = parseNerfTransforms(text, "fuzz/transforms_train.json");
    if (t.views.empty() || !(t.cameraAngleX > 0 && t.cameraAngleX < 3.1415927f)) std::abort();
    for (const NerfFrame& v : t.views)
      for (float e : v.cameraToWorld)
        if (!std::isfinite(e)) std::abort();
  } catch (const std::runtime_error&) {
  }
  return 0;
}
