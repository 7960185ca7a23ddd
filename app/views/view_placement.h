#pragma once
// Where a 2D view looks, as saved in sessions and given by --view: the centre in image
// coordinates and the zoom relative to fit. Reading validates (a restored session must not put
// the view at 1e19 or zoom -1). Pure, Vulkan-free.
#include <nlohmann/json.hpp>

namespace fieldscope {

struct ViewPlacement {
  double cx = 0.5, cy = 0.5, zoom = 1.0;
};

nlohmann::json viewPlacementToJson(const ViewPlacement& p);
// Throws std::runtime_error naming the entry: "view is not an object", "view.cx is not a
// number", "view centre is out of range", "view.zoom is outside x0.25 .. x1e6".
ViewPlacement viewPlacementFromJson(const nlohmann::json& j);

}  // namespace fieldscope
