#include "app/gui/input_script.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace fieldscope {

std::unique_ptr<InputScript> InputScript::make(const std::string& name) {
  const bool keep = name.rfind("export-keep:", 0) == 0;
  if (keep || name.rfind("export:", 0) == 0) {
    // export[-keep]:W:PATH (the path may contain ':')
    const size_t start = keep ? 12 : 7;
    const size_t colon = name.find(':', start);
    int width = 0;
    char extra = 0;
    if (colon == std::string::npos || colon + 1 >= name.size() ||
        std::sscanf(name.substr(start, colon - start).c_str(), "%d%c", &width, &extra) != 1 || width < 1 || width > 16384)
      throw std::runtime_error("--script '" + name + "': expected export:WIDTH:PATH, e.g. export:640:/tmp/out.png");
    auto s = std::unique_ptr<InputScript>(new InputScript("export"));
    s->exportWidth_ = width;
    s->exportPath_ = name.substr(colon + 1);
    s->replaceAnswer_ = keep ? 2 : 1;
    return s;
  }
  if (name != "zoom-pan" && name != "zoom-1000" && name != "resize" && name != "orbit")
    throw std::runtime_error("unknown --script '" + name +
                             "' (known: zoom-pan, zoom-1000, resize, orbit, export:W:PATH, export-keep:W:PATH, open:PATH, "
                             "steps:PATH)");
  return std::unique_ptr<InputScript>(new InputScript(name));
}

ScriptStep InputScript::step(int frame) const {
  ScriptStep s;
  if (exportWidth_ > 0) {  // a frame for each action, after the first layout
    if (frame == 2) s.openExport = true;
    if (frame == 3) s.exportWidth = exportWidth_, s.exportPath = exportPath_;
    if (frame == 4) s.pressExport = true;
    if (frame == 6) s.answerReplace = replaceAnswer_;  // when "Replace file?" asks
    s.done = frame > 6;
  } else if (name_ == "zoom-pan") {
    if (frame < 60) s.zoomFactor = 1.05;
    else if (frame < 120) s.panX = -6.0, s.panY = -3.0;
    else if (frame < 180) s.zoomFactor = 1.0 / 1.05;
    else s.done = true;
  } else if (name_ == "orbit") {
    // 3D views: a left drag of 24 px a frame (6 degrees in a 720-pixel-high viewport), 150 frames.
    if (frame < 150) s.panX = 24.0;
    else s.done = true;
  } else if (name_ == "resize") {
    static constexpr int sizes[][2] = {{900, 500}, {300, 200}, {64, 64}, {1600, 900}, {1281, 721}, {1280, 720}};
    if (frame < 60) {
      if (frame % 10 == 0) s.windowWidth = sizes[frame / 10][0], s.windowHeight = sizes[frame / 10][1];
      s.zoomFactor = 1.03;
    } else if (frame == 60) s.iconify = true;
    else if (frame == 70) s.restore = true;
    else if (frame >= 80) s.done = true;
  } else {  // zoom-1000: 1000^(1/120) per frame, in then out
    const double f = std::pow(1000.0, 1.0 / 120.0);
    if (frame < 120) s.zoomFactor = f;
    else if (frame < 240) s.zoomFactor = 1.0 / f;
    else s.done = true;
  }
  return s;
}

}  // namespace fieldscope
