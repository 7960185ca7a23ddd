#include "app/domains/image/reproduce_command.h"

#include <algorithm>
#include <cstdio>

namespace fieldscope {
namespace {
std::string number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
}  // namespace

std::string shellWord(const std::string& text) {
  if (!text.empty() && text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./,:=+-") ==
                           std::string::npos)
    return text;
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string reproduceCommand(const ReproduceRequest& r) {
  const SampleSpec& s = r.spec;
  const std::string model = shellWord(r.model);
  if (s.blend && !r.gridMode) {
    const double cx = 0.5 * (r.region.x0 + r.region.x1), cy = 0.5 * (r.region.y0 + r.region.y1);
    // Zoom relative to fit: at fit the shorter side of the view spans the picture (the same window size).
    const double zoom = std::max(1.0 / (r.region.x1 - r.region.x0), 1.0 / (r.region.y1 - r.region.y0));
    return "fieldscope --model " + model + " --seed " + std::to_string(s.seed) + " --blend " +
           std::to_string(s.seedB) + "," + number(s.t) + " --view " + number(cx) + "," + number(cy) + "," + number(zoom);
  }
  std::string cmd = "fieldscope sample --model " + model + " --seed " + std::to_string(s.seed) + " --steps " +
                    std::to_string(s.steps) + " --eta " + number(s.eta);
  if (!r.group.empty()) cmd += " --group " + shellWord(r.group) + " --guidance " + number(r.guidance);
  if (r.gridMode)
    return cmd + " --grid " + std::to_string(r.gridCols) + "x" + std::to_string(r.gridRows) + " -o seeds-" +
           std::to_string(s.seed) + ".png";
  return cmd + " --region " + number(r.region.x0) + "," + number(r.region.y0) + "," + number(r.region.x1) + "," +
         number(r.region.y1) + " --size " + std::to_string(r.width) + "x" + std::to_string(r.height) + " -o seed-" +
         std::to_string(s.seed) + ".png";
}

}  // namespace fieldscope
