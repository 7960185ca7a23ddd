#pragma once
// Test helper: copies the streams of a video file into another container (no re-encoding),
// e.g. an exported MP4 into Matroska, to exercise VideoReader on formats the app never writes.
#include <filesystem>
#include <string>

namespace fieldscope::test {

// Throws std::runtime_error on failure. `format` is a libavformat muxer name ("matroska").
void remux(const std::filesystem::path& in, const std::filesystem::path& out, const std::string& format);

}  // namespace fieldscope::test
