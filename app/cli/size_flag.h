#pragma once
// `--size WxH` of the headless commands: parsed with the domain's default when absent.
#include <string>
#include <utility>

namespace fieldscope {

// Empty text: the default. Throws naming the flag for anything but WxH with sides in [16, 8192].
std::pair<int, int> parseSizeFlag(const std::string& text, int defaultWidth, int defaultHeight);

}  // namespace fieldscope
