#pragma once
// A user's picture as the super-resolution domain reads and writes it (docs/architecture.md "The
// super-resolution domain"): 8- or 16-bit samples, RGB or RGBA, and its ICC profile, so that an
// upscaled PNG keeps the input's depth, alpha and colour profile. PNG through libpng (grey,
// palette, 16-bit and alpha expanded to RGB(A)); JPEG through libavcodec (grey, progressive...; a
// broken file is an error, never an abort), with the EXIF orientation applied and the APP2 ICC
// profile kept.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace fieldscope {

struct PhotoPixels {
  int width = 0, height = 0;
  int channels = 3;   // 3 (RGB) or 4 (RGBA)
  int bitDepth = 8;   // 8 or 16: samples are 0..255 or 0..65535
  std::vector<std::uint16_t> samples;  // width*height*channels, row-major, top row first
  std::string icc;    // the embedded ICC profile's bytes ("" when none)
  int exifOrientation = 1;  // as read (1: none); the samples are already turned upright
  int maxValue() const { return bitDepth == 16 ? 65535 : 255; }
};

// Throws std::runtime_error naming the file and the problem: missing, empty, truncated, not a
// PNG or JPEG, too large (over maxPixels).
PhotoPixels readPhotoPixels(const std::filesystem::path& path, std::int64_t maxPixels = std::int64_t(1) << 28);

// Applies EXIF orientation 1..8 (turns and mirrors) to the samples.
void applyExifOrientation(PhotoPixels& p, int orientation);

// Reads the EXIF orientation and the ICC profile from a JPEG file's bytes (1 / "" when absent).
int jpegExifOrientation(const std::string& bytes);
std::string jpegIccProfile(const std::string& bytes);

// A PNG written in row bands (libpng), to a temporary file renamed over `path` by finish(); when
// destroyed unfinished (an error, a cancel) the temporary file is removed and `path` untouched.
class PngRowWriter {
 public:
  PngRowWriter(const std::filesystem::path& path, int width, int height, int channels, int bitDepth,
               const std::string& icc = "");
  ~PngRowWriter();
  PngRowWriter(const PngRowWriter&) = delete;
  PngRowWriter& operator=(const PngRowWriter&) = delete;
  // `rows` rows of width*channels samples each (0..255 or 0..65535).
  void writeRows(const std::uint16_t* samples, int rows);
  // After the last row: closes the file and renames it into place. Throws naming the file.
  void finish();
  int rowsWritten() const { return rowsWritten_; }
  // What the file lacks that was asked for ("" when nothing): an ICC profile libpng found invalid
  // is left out with a note instead of failing the whole write.
  const std::string& note() const;

 struct Impl;

 private:
  void close();  // frees everything; removes the temporary file unless finished
  Impl* impl_;
  int rowsWritten_ = 0;
};

}  // namespace fieldscope
