#include "model/photo_data/photo_pixels.h"

#include <png.h>
#include <zlib.h>

#include <unistd.h>

#include <cerrno>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

#include "model/io/atomic_file.h"
#include "model/video_io/video_reader.h"

namespace fieldscope {
namespace fs = std::filesystem;
namespace {

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

struct PngError {
  char message[256] = "libpng error";
  char warning[256] = "";  // the last warning (an invalid ICC profile that was left out, say)
};

void onPngError(png_structp png, png_const_charp msg) {
  auto* e = static_cast<PngError*>(png_get_error_ptr(png));
  std::snprintf(e->message, sizeof e->message, "%s", msg);
  png_longjmp(png, 1);
}
void onPngWarning(png_structp png, png_const_charp msg) {
  auto* e = static_cast<PngError*>(png_get_error_ptr(png));
  std::snprintf(e->warning, sizeof e->warning, "%s", msg);
}

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + quoted(path) + " (missing or not readable)");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// An iCCP chunk's payload (keyword, 0, compression 0, zlib data) -> the profile ("" if unreadable).
std::string inflateIccChunk(const png_byte* data, size_t size) {
  const png_byte* end = data + size;
  const png_byte* zero = static_cast<const png_byte*>(std::memchr(data, 0, std::min<size_t>(size, 80)));
  if (!zero || zero + 2 > end || zero[1] != 0) return "";
  std::string out;
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return "";
  z.next_in = const_cast<Bytef*>(zero + 2);
  z.avail_in = uInt(end - (zero + 2));
  unsigned char buf[16384];
  int r = Z_OK;
  while (r == Z_OK && out.size() < (size_t(1) << 26)) {
    z.next_out = buf;
    z.avail_out = sizeof buf;
    r = inflate(&z, Z_NO_FLUSH);
    out.append(reinterpret_cast<char*>(buf), sizeof buf - z.avail_out);
  }
  inflateEnd(&z);
  return r == Z_STREAM_END ? out : "";
}

// The PNG part of readPhotoPixels: returns false (and a message) on a libpng error. No C++
// objects with destructors live across setjmp here.
bool readPngInto(std::FILE* f, PhotoPixels& out, std::int64_t maxPixels, PngError& err, std::string& why) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &err, onPngError, onPngWarning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info) {
    png_destroy_read_struct(&png, &info, nullptr);
    why = "out of memory";
    return false;
  }
  // Freed on the error path too: volatile, as they change after setjmp.
  png_bytep* volatile rows = nullptr;
  unsigned char* volatile buffer = nullptr;
  if (setjmp(png_jmpbuf(png))) {
    delete[] rows;
    delete[] buffer;
    png_destroy_read_struct(&png, &info, nullptr);
    why = err.message;
    return false;
  }
  png_init_io(png, f);
  // The ICC profile is passed through as bytes: keep the raw chunk (libpng's own iCCP check
  // rejects profiles other software writes and reads without complaint).
  static const png_byte kIccp[] = {'i', 'C', 'C', 'P', '\0'};
  png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_ALWAYS, kIccp, 1);
  png_read_info(png, info);
  const png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
  if (w == 0 || h == 0 || std::int64_t(w) * std::int64_t(h) > maxPixels) {
    png_destroy_read_struct(&png, &info, nullptr);
    why = w == 0 || h == 0 ? "the image has no pixels" : "the image is too large (" + std::to_string(w) + "x" + std::to_string(h) + ")";
    return false;
  }
  const int colorType = png_get_color_type(png, info);
  const int depth = png_get_bit_depth(png, info);
  png_unknown_chunkp chunks = nullptr;
  const int chunkCount = png_get_unknown_chunks(png, info, &chunks);
  for (int i = 0; i < chunkCount; ++i)
    if (std::memcmp(chunks[i].name, "iCCP", 4) == 0) out.icc = inflateIccChunk(chunks[i].data, chunks[i].size);
  png_set_expand(png);  // palette -> RGB, low-bit grey -> 8 bits, tRNS -> alpha
  if (colorType == PNG_COLOR_TYPE_GRAY || colorType == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
  if (depth == 16) png_set_swap(png);  // host byte order
  png_read_update_info(png, info);
  const int channels = png_get_channels(png, info);
  const int outDepth = png_get_bit_depth(png, info);
  if ((channels != 3 && channels != 4) || (outDepth != 8 && outDepth != 16)) {
    png_destroy_read_struct(&png, &info, nullptr);
    why = "an unsupported PNG layout";
    return false;
  }
  out.width = int(w);
  out.height = int(h);
  out.channels = channels;
  out.bitDepth = outDepth;
  const size_t rowBytes = png_get_rowbytes(png, info);
  buffer = new unsigned char[rowBytes * h];
  rows = new png_bytep[h];
  for (png_uint_32 y = 0; y < h; ++y) rows[y] = buffer + rowBytes * y;
  png_read_image(png, rows);  // a truncated file longjmps from here
  png_read_end(png, nullptr);
  out.samples.resize(size_t(w) * h * size_t(channels));
  if (outDepth == 8)
    for (size_t i = 0; i < out.samples.size(); ++i) out.samples[i] = buffer[i];
  else
    std::memcpy(out.samples.data(), buffer, out.samples.size() * 2);
  delete[] buffer;
  delete[] rows;
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

}  // namespace

int jpegExifOrientation(const std::string& b) {
  // Walk the JPEG markers to APP1 "Exif\0\0", then the TIFF IFD0 for tag 0x0112.
  size_t i = 2;
  if (b.size() < 4 || uint8_t(b[0]) != 0xFF || uint8_t(b[1]) != 0xD8) return 1;
  while (i + 4 <= b.size() && uint8_t(b[i]) == 0xFF) {
    const int marker = uint8_t(b[i + 1]);
    const size_t len = (size_t(uint8_t(b[i + 2])) << 8) | uint8_t(b[i + 3]);
    if (marker == 0xDA || len < 2) break;  // start of scan
    const size_t seg = i + 4, end = std::min(b.size(), i + 2 + len);
    if (marker == 0xE1 && end - seg > 14 && b.compare(seg, 6, std::string("Exif\0\0", 6)) == 0) {
      const size_t t = seg + 6;
      const bool le = b[t] == 'I';
      auto u16 = [&](size_t p) -> unsigned {
        if (p + 2 > end) return 0;
        return le ? unsigned(uint8_t(b[p])) | unsigned(uint8_t(b[p + 1])) << 8 : unsigned(uint8_t(b[p])) << 8 | unsigned(uint8_t(b[p + 1]));
      };
      auto u32 = [&](size_t p) -> size_t { return le ? size_t(u16(p)) | size_t(u16(p + 2)) << 16 : size_t(u16(p)) << 16 | size_t(u16(p + 2)); };
      const size_t ifd = t + u32(t + 4);
      const unsigned entries = u16(ifd);
      for (unsigned e = 0; e < entries; ++e) {
        const size_t entry = ifd + 2 + 12 * size_t(e);
        if (entry + 12 > end) break;
        if (u16(entry) == 0x0112) {
          const unsigned v = u16(entry + 8);
          return v >= 1 && v <= 8 ? int(v) : 1;
        }
      }
      return 1;
    }
    i += 2 + len;
  }
  return 1;
}

std::string jpegIccProfile(const std::string& b) {
  // APP2 "ICC_PROFILE\0" segments, each with its sequence number and count, concatenated in order.
  std::vector<std::string> parts;
  size_t i = 2;
  if (b.size() < 4 || uint8_t(b[0]) != 0xFF || uint8_t(b[1]) != 0xD8) return "";
  const std::string tag("ICC_PROFILE\0", 12);
  while (i + 4 <= b.size() && uint8_t(b[i]) == 0xFF) {
    const int marker = uint8_t(b[i + 1]);
    const size_t len = (size_t(uint8_t(b[i + 2])) << 8) | uint8_t(b[i + 3]);
    if (marker == 0xDA || len < 2) break;
    const size_t seg = i + 4, end = std::min(b.size(), i + 2 + len);
    if (marker == 0xE2 && end > seg + 14 && b.compare(seg, 12, tag) == 0) {
      const size_t index = uint8_t(b[seg + 12]), count = uint8_t(b[seg + 13]);
      if (index >= 1 && index <= count) {
        if (parts.size() < count) parts.resize(count);
        parts[index - 1] = b.substr(seg + 14, end - seg - 14);
      }
    }
    i += 2 + len;
  }
  std::string icc;
  for (const std::string& p : parts) {
    if (p.empty()) return "";  // a missing piece: no usable profile
    icc += p;
  }
  return icc;
}

void applyExifOrientation(PhotoPixels& p, int orientation) {
  if (orientation <= 1 || orientation > 8) return;
  const int w = p.width, h = p.height, c = p.channels;
  const bool swap = orientation >= 5;
  const int ow = swap ? h : w, oh = swap ? w : h;
  std::vector<std::uint16_t> out(p.samples.size());
  for (int y = 0; y < oh; ++y)
    for (int x = 0; x < ow; ++x) {
      int sx = 0, sy = 0;  // the stored pixel shown at (x, y)
      switch (orientation) {
        case 2: sx = w - 1 - x; sy = y; break;
        case 3: sx = w - 1 - x; sy = h - 1 - y; break;
        case 4: sx = x; sy = h - 1 - y; break;
        case 5: sx = y; sy = x; break;
        case 6: sx = y; sy = h - 1 - x; break;
        case 7: sx = w - 1 - y; sy = h - 1 - x; break;
        case 8: sx = w - 1 - y; sy = x; break;
      }
      std::memcpy(&out[(size_t(y) * ow + x) * c], &p.samples[(size_t(sy) * w + sx) * c], sizeof(std::uint16_t) * size_t(c));
    }
  p.samples.swap(out);
  p.width = ow;
  p.height = oh;
  p.exifOrientation = orientation;
}

PhotoPixels readPhotoPixels(const fs::path& path, std::int64_t maxPixels) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw std::runtime_error("cannot read " + quoted(path) + ": no such file");
  if (fs::file_size(path, ec) == 0) throw std::runtime_error("cannot read " + quoted(path) + ": the file is empty");
  unsigned char sig[8] = {0};
  {
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(sig), 8);
  }
  PhotoPixels out;
  if (png_sig_cmp(sig, 0, 8) == 0) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
    if (!f) throw std::runtime_error("cannot open " + quoted(path));
    PngError err;
    std::string why;
    if (!readPngInto(f.get(), out, maxPixels, err, why))
      throw std::runtime_error("cannot read the PNG " + quoted(path) + ": " + why);
    return out;
  }
  if (!(sig[0] == 0xFF && sig[1] == 0xD8))
    throw std::runtime_error("cannot read " + quoted(path) + ": not a PNG or JPEG file");
  const std::string bytes = readAll(path);
  // libavcodec's JPEG decoder, not stb_image's: a crafted JPEG made stb_image abort the whole
  // process on an assertion (tests/fuzz/RESULTS.md); libav refuses broken files with an error.
  try {
    VideoReadOptions one;
    one.maxFrames = 1;
    one.maxPixels = maxPixels;  // refused from the header, not after decoding it
    VideoReader reader(path, one);
    const VideoStreamInfo& info = reader.info();
    if (std::int64_t(info.width) * info.height > maxPixels)
      throw std::runtime_error("too large (" + std::to_string(info.width) + "x" + std::to_string(info.height) + ")");
    VideoFrame frame;
    if (!reader.next(frame) || frame.width < 1 || frame.height < 1) throw std::runtime_error("no picture in it");
    if (std::int64_t(frame.width) * frame.height > maxPixels)
      throw std::runtime_error("too large (" + std::to_string(frame.width) + "x" + std::to_string(frame.height) + ")");
    out.width = frame.width;
    out.height = frame.height;
    out.samples.assign(frame.rgb.begin(), frame.rgb.end());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("cannot read the JPEG " + quoted(path) + ": " + e.what());
  }
  out.channels = 3;
  out.bitDepth = 8;
  out.icc = jpegIccProfile(bytes);
  applyExifOrientation(out, jpegExifOrientation(bytes));
  return out;
}

struct PngRowWriter::Impl {
  fs::path path, tmp;
  std::FILE* file = nullptr;
  png_structp png = nullptr;
  png_infop info = nullptr;
  PngError err;
  int width = 0, height = 0, channels = 0, depth = 0;
  std::vector<unsigned char> row;
  bool finished = false;
  std::string note;
};

namespace {
// libpng calls that may longjmp; false with the message on an error.
bool pngStart(PngRowWriter::Impl& m, const std::string& icc) {
  if (setjmp(png_jmpbuf(m.png))) return false;
  png_init_io(m.png, m.file);
  png_set_benign_errors(m.png, 1);  // an ICC profile libpng finds invalid is left out, not fatal
  png_set_IHDR(m.png, m.info, png_uint_32(m.width), png_uint_32(m.height), m.depth,
               m.channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!icc.empty())
    png_set_iCCP(m.png, m.info, "icc", PNG_COMPRESSION_TYPE_BASE, reinterpret_cast<png_const_bytep>(icc.data()),
                 png_uint_32(icc.size()));
  png_write_info(m.png, m.info);
  if (!icc.empty() && !png_get_valid(m.png, m.info, PNG_INFO_iCCP))
    m.note = std::string("the input's ICC profile was left out: ") + (m.err.warning[0] ? m.err.warning : "libpng refused it");
  return true;
}
bool pngRow(PngRowWriter::Impl& m) {
  if (setjmp(png_jmpbuf(m.png))) return false;
  png_write_row(m.png, m.row.data());
  return true;
}
bool pngEnd(PngRowWriter::Impl& m) {
  if (setjmp(png_jmpbuf(m.png))) return false;
  png_write_end(m.png, nullptr);
  return true;
}
}  // namespace

PngRowWriter::PngRowWriter(const fs::path& path, int width, int height, int channels, int bitDepth, const std::string& icc)
    : impl_(new Impl) {
  Impl& m = *impl_;
  m.path = path;
  m.width = width;
  m.height = height;
  m.channels = channels;
  m.depth = bitDepth;
  if (width < 1 || height < 1 || (channels != 3 && channels != 4) || (bitDepth != 8 && bitDepth != 16)) {
    delete impl_;
    throw std::invalid_argument("PngRowWriter: bad size, channels or depth");
  }
  m.tmp = atomicTemporaryFor(path);  // also clears the temporaries of killed writers
  m.file = std::fopen(m.tmp.c_str(), "wb");
  if (!m.file) {
    const std::string why = std::strerror(errno);
    delete impl_;
    throw std::runtime_error("cannot write " + quoted(path) + ": " + why);
  }
  m.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &m.err, onPngError, onPngWarning);
  m.info = m.png ? png_create_info_struct(m.png) : nullptr;
  m.row.resize(size_t(width) * size_t(channels) * size_t(bitDepth / 8));
  if (!m.png || !m.info || !pngStart(m, icc)) {
    const std::string why = m.png ? m.err.message : "out of memory";
    close();
    throw std::runtime_error("cannot write " + quoted(path) + ": " + why);
  }
}

PngRowWriter::~PngRowWriter() { close(); }

void PngRowWriter::close() {
  if (!impl_) return;
  Impl& m = *impl_;
  if (m.png) png_destroy_write_struct(&m.png, &m.info);
  if (m.file) std::fclose(m.file);
  if (!m.finished) {
    std::error_code ec;
    fs::remove(m.tmp, ec);
  }
  delete impl_;
  impl_ = nullptr;
}

const std::string& PngRowWriter::note() const { return impl_->note; }

void PngRowWriter::writeRows(const std::uint16_t* samples, int rows) {
  Impl& m = *impl_;
  if (rowsWritten_ + rows > m.height) throw std::logic_error("PngRowWriter: more rows than the image has");
  const size_t n = size_t(m.width) * size_t(m.channels);
  for (int r = 0; r < rows; ++r) {
    const std::uint16_t* s = samples + size_t(r) * n;
    if (m.depth == 8)
      for (size_t i = 0; i < n; ++i) m.row[i] = static_cast<unsigned char>(s[i]);
    else
      for (size_t i = 0; i < n; ++i) {
        m.row[2 * i] = static_cast<unsigned char>(s[i] >> 8);  // PNG is big-endian
        m.row[2 * i + 1] = static_cast<unsigned char>(s[i] & 0xFF);
      }
    if (!pngRow(m)) throw std::runtime_error("cannot write " + quoted(m.path) + ": " + m.err.message);
    ++rowsWritten_;
  }
}

void PngRowWriter::finish() {
  Impl& m = *impl_;
  if (rowsWritten_ != m.height) throw std::logic_error("PngRowWriter: finish() before the last row");
  if (!pngEnd(m)) throw std::runtime_error("cannot write " + quoted(m.path) + ": " + m.err.message);
  png_destroy_write_struct(&m.png, &m.info);
  const bool flushed = std::fflush(m.file) == 0;
  const bool closed = std::fclose(m.file) == 0;
  m.file = nullptr;
  if (!flushed || !closed) throw std::runtime_error("cannot write " + quoted(m.path) + ": the disk refused the data (full?)");
  commitAtomicTemporary(m.tmp, m.path);  // fsync, rename, fsync of the folder; removes the temporary on failure
  m.finished = true;
}

}  // namespace fieldscope
