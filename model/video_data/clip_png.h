#pragma once
// A clip as one PNG: its T frames side by side, left to right (S rows, T*S columns, RGB), so a
// data set can be looked at in any image viewer (docs/architecture.md "Data", "Video clips").
#include <filesystem>

#include "model/video_data/clip.h"

namespace fieldscope {

// Written atomically (model/io/atomic_file.h). Throws std::runtime_error naming the file.
void writeClipPng(const std::filesystem::path& path, const Clip& clip);

// Reads a clip of `frames` frames of size^2 named `name`. Throws std::runtime_error naming the
// file and the problem: missing, not a readable PNG, or not frames*size x size pixels.
Clip readClipPng(const std::filesystem::path& path, int frames, int size, const std::string& name);

}  // namespace fieldscope
