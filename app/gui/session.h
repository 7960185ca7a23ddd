#pragma once
// Session: what the viewer reopens on restart -- the domain and file that were open, that
// view's own state (opaque JSON: for images the sample, the grid, the view), the open panels
// and the settings. Pure data + (de)serialisation; SessionFile reads and writes it
// (docs/architecture.md "Session").
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fieldscope {

struct ViewerSettings {
  static constexpr int kMinTileCacheMB = 16, kMaxTileCacheMB = 1024, kDefaultTileCacheMB = 40;
  int tileCacheMB = kDefaultTileCacheMB;  // tile atlas budget (40 MB = 160 tiles of 256 KB)
  bool operator==(const ViewerSettings&) const = default;
};

struct Session {
  // 2: {domain, model, state}; version 1 files (image only) are read and converted.
  static constexpr int kVersion = 2;
  std::string domain;     // the open document's domain; empty: none (the procedural field)
  std::string modelPath;  // its file, absolute
  nlohmann::json state = nlohmann::json::object();  // the view's saveState()
  bool showPerf = false, showSettings = false;      // panels that were open
  ViewerSettings settings;
  // File > Open Recent and the export dialog's recent folders, newest first (at most kRecent).
  static constexpr size_t kRecent = 8;
  std::vector<std::string> recentFiles, recentFolders;
  bool operator==(const Session&) const = default;
};

nlohmann::json sessionToJson(const Session& s);
// Throws std::runtime_error saying which entry is wrong (wrong type, out of range, unknown
// version). Missing sections take their defaults; the tile cache budget is clamped to its range.
Session sessionFromJson(const nlohmann::json& j);

// Puts `item` first in `list` (removing an earlier copy), keeping at most Session::kRecent.
void rememberRecent(std::vector<std::string>& list, const std::string& item);

}  // namespace fieldscope
