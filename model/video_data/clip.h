#pragma once
// One training clip of the video domain: T frames of S x S RGB8 (docs/architecture.md "Data").
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace fieldscope {

struct Clip {
  std::string name;  // "clip_00042"
  int frames = 0;    // T
  int size = 0;      // S
  std::vector<uint8_t> rgb;  // frames*size*size*3, frame-major, row-major, top row first

  std::size_t frameBytes() const { return static_cast<std::size_t>(size) * size * 3; }
  uint8_t* frame(int k) { return rgb.data() + static_cast<std::size_t>(k) * frameBytes(); }
  const uint8_t* frame(int k) const { return rgb.data() + static_cast<std::size_t>(k) * frameBytes(); }
};

}  // namespace fieldscope
