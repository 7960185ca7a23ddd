#include "model/video_data/user_footage.h"

#include <stb_image.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>

#include "model/video_data/square_frames.h"
#include "model/video_io/video_reader.h"

namespace fieldscope {
namespace fs = std::filesystem;
namespace {

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

std::string lowerExtension(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

bool isVideoFile(const fs::path& p) {
  static const std::set<std::string> kVideo = {".mp4", ".webm", ".mkv", ".mov", ".avi"};
  return kVideo.count(lowerExtension(p)) > 0;
}

// The PNG files directly in `dir`, in natural order.
std::vector<fs::path> pngFrames(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (lowerExtension(e.path()) == ".png" && e.is_regular_file(ec)) files.push_back(e.path());
  std::sort(files.begin(), files.end(),
            [](const fs::path& a, const fs::path& b) { return naturalLess(a.filename().string(), b.filename().string()); });
  return files;
}

void readVideo(const fs::path& file, int size, int stride, const std::function<bool(const FootageFrame&)>& onFrame) {
  VideoReadOptions options;
  {
    const VideoReader probe(file);  // the picture's size decides the decoder's output size
    shorterSideTo(probe.info().width, probe.info().height, size, options.width, options.height);
  }
  VideoReader reader(file, options);
  VideoFrame frame;
  for (int k = 0; reader.next(frame); ++k) {
    if (k % stride != 0) continue;
    const std::vector<std::uint8_t> square = centreSquare(frame.rgb.data(), frame.width, frame.height, size);
    if (!onFrame({square, k, frame.timeSeconds})) return;
  }
}

void readFrameFolder(const fs::path& dir, int size, int stride, const std::function<bool(const FootageFrame&)>& onFrame) {
  const std::vector<fs::path> files = pngFrames(dir);
  if (files.empty()) throw std::runtime_error("frame folder " + quoted(dir) + " has no PNG files");
  int width = 0, height = 0;
  for (std::size_t k = 0; k < files.size(); k += static_cast<std::size_t>(stride)) {
    int w = 0, h = 0, channels = 0;
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(stbi_load(files[k].c_str(), &w, &h, &channels, 3), stbi_image_free);
    if (!pixels) {
      const char* why = stbi_failure_reason();
      throw std::runtime_error("frame " + quoted(files[k]) + " is not a readable PNG (" + (why ? why : "corrupt") + ")");
    }
    if (k == 0) width = w, height = h;
    if (w != width || h != height)
      throw std::runtime_error("frame " + quoted(files[k]) + " is " + std::to_string(w) + "x" + std::to_string(h) + ", the frames before it " +
                               std::to_string(width) + "x" + std::to_string(height));
    const std::vector<std::uint8_t> square = centreSquare(pixels.get(), w, h, size);
    if (!onFrame({square, static_cast<int>(k), -1.0})) return;
  }
}

}  // namespace

bool naturalLess(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t ei = i, ej = j;
      while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
      while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
      // Compare the numbers without leading zeros: longer is larger, then digit by digit.
      std::size_t si = a.find_first_not_of('0', i), sj = b.find_first_not_of('0', j);
      si = std::min(si, ei), sj = std::min(sj, ej);
      if (ei - si != ej - sj) return ei - si < ej - sj;
      if (const int c = a.compare(si, ei - si, b, sj, ej - sj); c != 0) return c < 0;
      if (ei - i != ej - j) return ei - i < ej - j;  // "01" before "1"... any fixed order will do
      i = ei, j = ej;
    } else {
      if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
      ++i, ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

std::vector<FootageSource> findFootage(const fs::path& from, const fs::path& exclude) {
  std::error_code ec;
  if (!fs::exists(from, ec)) throw std::runtime_error("--from " + quoted(from) + ": no such file or folder");
  if (!fs::is_directory(from, ec)) return {{from, false}};  // a single file: read it whatever its name says
  std::vector<FootageSource> sources;
  const fs::path skip = fs::weakly_canonical(exclude, ec);
  if (!pngFrames(from).empty()) sources.push_back({from, true});
  for (auto it = fs::recursive_directory_iterator(from, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_directory(ec)) {
      if (fs::weakly_canonical(it->path(), ec) == skip) {
        it.disable_recursion_pending();
        continue;
      }
      if (!pngFrames(it->path()).empty()) sources.push_back({it->path(), true});
    } else if (isVideoFile(it->path()) && it->is_regular_file(ec)) {
      sources.push_back({it->path(), false});
    }
  }
  if (ec) throw std::runtime_error("--from " + quoted(from) + ": cannot list it: " + ec.message());
  std::sort(sources.begin(), sources.end(),
            [](const FootageSource& a, const FootageSource& b) { return a.path.generic_string() < b.path.generic_string(); });
  if (sources.empty())
    throw std::runtime_error("--from " + quoted(from) + ": no video files (.mp4 .webm .mkv .mov .avi) or folders of PNG frames in it or below it");
  return sources;
}

void readFootage(const FootageSource& source, int size, int stride, const std::function<bool(const FootageFrame&)>& onFrame) {
  if (source.frameFolder)
    readFrameFolder(source.path, size, stride, onFrame);
  else
    readVideo(source.path, size, stride, onFrame);
}

}  // namespace fieldscope
