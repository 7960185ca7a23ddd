#include "model/scene_data/nerf_transforms.h"

#include <cctype>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numbers>
#include <sstream>
#include <stdexcept>

#include "model/io/atomic_file.h"

namespace fieldscope {
namespace fs = std::filesystem;
using json = nlohmann::json;
namespace {

std::string quoted(const fs::path& p) {
  std::string s(1, '\'');  // (appended: GCC 12 warns falsely on "'" + s at -O3, its bug 105651)
  s += p.string();
  s += '\'';
  return s;
}

std::runtime_error fileError(const fs::path& file, const std::string& what) {
  return std::runtime_error(quoted(file) + ": " + what);
}

bool angleOk(double a) { return std::isfinite(a) && a > 0 && a < std::numbers::pi; }

// transform_matrix of frame `index`: 4 rows of 4 finite numbers, bottom row (0, 0, 0, 1), an
// invertible 3x3 part.
Matrix4 readMatrix(const json& frame, const std::string& where) {
  if (!frame.contains("transform_matrix")) throw std::runtime_error(where + "\"transform_matrix\" is missing");
  const json& m = frame.at("transform_matrix");
  if (!m.is_array() || m.size() != 4) throw std::runtime_error(where + "\"transform_matrix\" is not a 4x4 list of rows");
  Matrix4 out{};
  for (std::size_t r = 0; r < 4; ++r) {
    const json& row = m.at(r);
    if (!row.is_array() || row.size() != 4) throw std::runtime_error(where + "\"transform_matrix\" is not a 4x4 list of rows");
    for (std::size_t c = 0; c < 4; ++c) {
      const json& v = row.at(c);
      if (!v.is_number()) throw std::runtime_error(where + "\"transform_matrix\" has an entry that is not a number");
      const double d = v.get<double>();
      if (!std::isfinite(d) || std::abs(d) > 1e30)
        throw std::runtime_error(where + "\"transform_matrix\" has an entry that is not a finite number");
      out[4 * r + c] = static_cast<float>(d);
    }
  }
  const auto at = [&](int r, int c) { return double(out[static_cast<std::size_t>(4 * r + c)]); };
  if (std::abs(at(3, 0)) > 1e-4 || std::abs(at(3, 1)) > 1e-4 || std::abs(at(3, 2)) > 1e-4 || std::abs(at(3, 3) - 1) > 1e-4)
    throw std::runtime_error(where + "\"transform_matrix\"'s bottom row is not (0, 0, 0, 1)");
  const double det = at(0, 0) * (at(1, 1) * at(2, 2) - at(1, 2) * at(2, 1)) -
                     at(0, 1) * (at(1, 0) * at(2, 2) - at(1, 2) * at(2, 0)) +
                     at(0, 2) * (at(1, 0) * at(2, 1) - at(1, 1) * at(2, 0));
  if (!(std::abs(det) > 1e-6)) throw std::runtime_error(where + "\"transform_matrix\" is not invertible (its 3x3 part has determinant ~0)");
  return out;
}

}  // namespace

std::string nerfFrameWhere(const fs::path& jsonFile, std::size_t index, const std::string& filePath) {
  std::string s = quoted(jsonFile);
  s += ": frame ";
  s += std::to_string(index);
  if (!filePath.empty()) {
    s += " ('";
    s += filePath;
    s += "')";
  }
  s += ": ";
  return s;
}

NerfTransforms parseNerfTransforms(const std::string& text, const fs::path& jsonFile) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const std::exception& e) {
    throw fileError(jsonFile, std::string("not valid JSON (") + e.what() + ")");
  }
  if (!doc.is_object()) throw fileError(jsonFile, "not a NeRF transforms file (the top level is not an object)");
  NerfTransforms out;
  out.json = jsonFile;
  if (!doc.contains("camera_angle_x")) throw fileError(jsonFile, "\"camera_angle_x\" is missing");
  const json& angle = doc.at("camera_angle_x");
  if (!angle.is_number() || !angleOk(angle.get<double>()))
    throw fileError(jsonFile, "\"camera_angle_x\" must be a number of radians in (0, pi) (got " + angle.dump() + ")");
  out.cameraAngleX = static_cast<float>(angle.get<double>());
  if (!doc.contains("frames")) throw fileError(jsonFile, "\"frames\" is missing");
  const json& frames = doc.at("frames");
  if (!frames.is_array()) throw fileError(jsonFile, "\"frames\" is not a list");
  if (frames.empty()) throw fileError(jsonFile, "\"frames\" is empty: no views");
  out.views.reserve(frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const json& frame = frames.at(i);
    if (!frame.is_object()) throw std::runtime_error(nerfFrameWhere(jsonFile, i, "") + "not an object");
    if (!frame.contains("file_path") || !frame.at("file_path").is_string() || frame.at("file_path").get<std::string>().empty())
      throw std::runtime_error(nerfFrameWhere(jsonFile, i, "") + "\"file_path\" is missing or not a non-empty string");
    NerfFrame view;
    view.file = frame.at("file_path").get<std::string>();
    view.cameraToWorld = readMatrix(frame, nerfFrameWhere(jsonFile, i, view.file));
    out.views.push_back(std::move(view));
  }
  return out;
}

NerfTransforms readNerfTransforms(const fs::path& jsonFile) {
  std::ifstream in(jsonFile, std::ios::binary);
  if (!in) throw fileError(jsonFile, "cannot be opened (missing or unreadable)");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw fileError(jsonFile, "cannot be read");
  return parseNerfTransforms(text.str(), jsonFile);
}

fs::path nerfImagePath(const fs::path& jsonFile, const std::string& filePath) {
  const fs::path file = jsonFile.parent_path() / fs::path(filePath);
  std::string ext = file.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".png") return file;
  fs::path withPng = file;
  withPng += ".png";
  std::error_code ec;
  if (!fs::exists(withPng, ec) && fs::is_regular_file(file, ec)) return file;
  return withPng;
}

void writeNerfTransforms(const fs::path& jsonFile, float cameraAngleX, const std::vector<NerfFrame>& frames) {
  if (!angleOk(cameraAngleX)) throw fileError(jsonFile, "camera_angle_x must be in (0, pi)");
  json doc;
  doc["camera_angle_x"] = cameraAngleX;
  json list = json::array();
  for (const NerfFrame& v : frames) {
    json rows = json::array();
    for (std::size_t r = 0; r < 4; ++r)
      rows.push_back({v.cameraToWorld[4 * r], v.cameraToWorld[4 * r + 1], v.cameraToWorld[4 * r + 2], v.cameraToWorld[4 * r + 3]});
    list.push_back({{"file_path", v.file}, {"transform_matrix", std::move(rows)}});
  }
  doc["frames"] = std::move(list);
  writeBytesAtomically(jsonFile, doc.dump(2) + "\n");
}

}  // namespace fieldscope
