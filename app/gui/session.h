#pragma once
// Session: what the viewer reopens on restart -- the model, the sample (seed, blend, grid,
// seed plane), the view (centre, zoom), the open panels -- and the settings, as JSON. Pure data + (de)serialisation;
// SessionFile reads and writes it.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "app/gui/model_source.h"

namespace fieldscope {

struct ViewerSettings {
  static constexpr int kMinTileCacheMB = 16, kMaxTileCacheMB = 1024, kDefaultTileCacheMB = 40;
  int tileCacheMB = kDefaultTileCacheMB;  // tile atlas budget (40 MB = 160 tiles of 256 KB)
  bool operator==(const ViewerSettings&) const = default;
};

struct Session {
  static constexpr int kVersion = 1;
  std::string modelPath;  // absolute; empty: the procedural field
  SampleSpec sample;      // the sample shown (grid: its first seed)
  bool grid = false;      // the seed grid was open
  bool haveView = false;  // cx, cy, zoom are set
  double cx = 0.5, cy = 0.5, zoom = 1.0;  // as --view: image coordinates, zoom relative to fit
  bool showPerf = false, showSettings = false;  // panels that were open
  ViewerSettings settings;
  bool operator==(const Session&) const = default;
};

nlohmann::json sessionToJson(const Session& s);
// Throws std::runtime_error saying which entry is wrong (wrong type, out of range, unknown
// version). Missing sections take their defaults; the tile cache budget is clamped to its range.
Session sessionFromJson(const nlohmann::json& j);

}  // namespace fieldscope
