#include "app/cli/shipped_models.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

namespace fieldscope {
namespace fs = std::filesystem;

std::vector<fs::path> modelSearchDirs() {
  std::vector<fs::path> dirs;
  if (const char* d = std::getenv("FIELDSCOPE_DATA_DIR"); d && *d) dirs.push_back(fs::path(d) / "models");
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path prefix = exe.parent_path().parent_path();
    dirs.push_back(prefix / "assets" / "models");                  // <root>/build/fieldscope
    dirs.push_back(prefix / "share" / "fieldscope" / "models");    // <prefix>/bin/fieldscope
  }
#ifdef FIELDSCOPE_SOURCE_DIR
  dirs.push_back(fs::path(FIELDSCOPE_SOURCE_DIR) / "assets" / "models");
#endif
  return dirs;
}

std::vector<fs::path> listModels(const std::vector<fs::path>& dirs) {
  std::vector<fs::path> out;
  std::set<fs::path> seen;
  for (const fs::path& dir : dirs) {
    std::error_code ec;
    std::vector<fs::path> here;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const fs::path& p = it->path();
      if (p.extension() != ".fsm" || !it->is_regular_file(ec)) continue;
      const fs::path canon = fs::weakly_canonical(p, ec);
      if (ec || !seen.insert(canon).second) continue;
      here.push_back(canon);
    }
    std::sort(here.begin(), here.end(), [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
    out.insert(out.end(), here.begin(), here.end());
  }
  return out;
}

fs::path firstStartModel() {
  for (const fs::path& m : findShippedModels())
    if (m.filename() == "emoji-image.fsm") return m;
  return {};
}

std::vector<std::uint64_t> featuredSeeds(const fs::path& model) {
  std::ifstream in(model.parent_path() / model.stem() / "featured_seeds.json");
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  std::vector<std::uint64_t> seeds;
  if (j.is_discarded() || !j.is_object() || !j.contains("seeds") || !j["seeds"].is_array()) return seeds;
  for (const auto& v : j["seeds"])
    if (v.is_number_unsigned() && seeds.size() < 32) seeds.push_back(v.get<std::uint64_t>());
  return seeds;
}

}  // namespace fieldscope
