#include "app/views/view_placement.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "render/view2d.h"

namespace fieldscope {

nlohmann::json viewPlacementToJson(const ViewPlacement& p) { return {{"cx", p.cx}, {"cy", p.cy}, {"zoom", p.zoom}}; }

ViewPlacement viewPlacementFromJson(const nlohmann::json& j) {
  if (!j.is_object()) throw std::runtime_error("view is not an object");
  auto number = [&](const char* key, double fallback) {
    if (!j.contains(key)) return fallback;
    if (!j.at(key).is_number()) throw std::runtime_error(std::string("view.") + key + " is not a number");
    return j.at(key).get<double>();
  };
  ViewPlacement p{number("cx", 0.5), number("cy", 0.5), number("zoom", 1.0)};
  // The field lives around [0,1]^2; far beyond it double precision and the tile math give out.
  if (!std::isfinite(p.cx) || !std::isfinite(p.cy) || std::abs(p.cx) > 1e6 || std::abs(p.cy) > 1e6)
    throw std::runtime_error("view centre is out of range (|cx|, |cy| <= 1e6)");
  if (!(p.zoom >= View2D::kMinZoom && p.zoom <= View2D::kMaxZoom))
    throw std::runtime_error("view.zoom is outside x0.25 .. x1e6");
  return p;
}

}  // namespace fieldscope
