// The user's pictures for `upscale` and `data photos --from` (model/photo_data/photo_pixels.h):
// PNG through libpng with its iCCP chunk, JPEG through stb_image with our own EXIF orientation
// and APP2 ICC parsing. The pixel limit keeps one input's memory bounded, as the app's does.
#include <stdexcept>

#include "model/photo_data/photo_pixels.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fieldscope;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const int orientation = jpegExifOrientation(bytes);
  if (orientation < 1 || orientation > 8) std::abort();
  (void)jpegIccProfile(bytes);
  try {
    const PhotoPixels p = readPhotoPixels(fuzz::asFile(data, size, ".img"), int64_t(1) << 22);
    if (p.samples.size() != size_t(p.width) * p.height * p.channels) std::abort();
  } catch (const std::runtime_error&) {
  }
  return 0;
}
