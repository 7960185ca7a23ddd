// A user's clip (model/video_io/video_reader.h): libavformat's probe and demux and libavcodec's
// decode of whatever the container holds, through our reader (frame conversion, limits).
#include <stdexcept>

#include "model/video_io/video_reader.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fieldscope;
  VideoReadOptions options;
  options.maxFrames = 8;
  options.decoderThreads = 1;  // a frame thread per core set up for each input halved the rate
  try {
    VideoReader reader(fuzz::asFile(data, size, ".mp4"), options);
    VideoFrame frame;
    while (reader.next(frame)) {
    }
  } catch (const std::runtime_error&) {
  }
  return 0;
}
