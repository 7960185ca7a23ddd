#include "app/cli/size_flag.h"

#include <cstdio>
#include <stdexcept>

namespace fieldscope {

std::pair<int, int> parseSizeFlag(const std::string& text, int defaultWidth, int defaultHeight) {
  if (text.empty()) return {defaultWidth, defaultHeight};
  int w = 0, h = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%dx%d%c", &w, &h, &extra) != 2 || w < 16 || h < 16 || w > 8192 || h > 8192)
    throw std::runtime_error("--size '" + text + "': expected WxH, each from 16 to 8192");
  return {w, h};
}

}  // namespace fieldscope
