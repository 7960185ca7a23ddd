// The command line's value parsers (app/cli/): --size/--grid WxH and --blend B,t. A value they
// accept is in the documented range.
#include <stdexcept>
#include <string>

#include "app/cli/blend_flag.h"
#include "app/cli/size_flag.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fieldscope;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto [w, h] = parseSizeFlag(text, 256, 256);
    if (w < 16 || h < 16 || w > 8192 || h > 8192) std::abort();
  } catch (const std::runtime_error&) {
  }
  try {
    if (const auto b = parseBlendFlag(text); b && !(b->t >= 0 && b->t <= 1)) std::abort();
  } catch (const std::runtime_error&) {
  }
  return 0;
}
